import { useCallback, useMemo, useState } from 'react';
import type { Errors, FormMessage, Values } from '../components/formTypes';
import { useT } from '../i18n';
import { NotSentError } from '../client/serverClient';
import { useDirty } from '../state/context';
import { describeFailure, type Failure } from '../client/describeFailure';
import { useConnection, useSubmit } from './useConnection';

export interface UseFormOptions<N extends string> {
  /** Client-side checks, run before anything is sent (the protocol's zod schemas, mostly). */
  validate: (values: Values<N>) => Errors<N>;
  /** Cleared after a failed submit (passwords): everything else is kept. */
  secret?: N[];
  /** The form field for a field the server names ("emails.1.value" → "email2"), when they differ. */
  fieldFor?: (serverField: string) => N | undefined;
  /** The values as saved, when `initial` holds more (a draft restored): what the unsaved input is measured against. */
  saved?: Values<N>;
}

/**
 * The state every form screen shares: values, per-field errors, the message shown in place,
 * the busy flag, and the unsaved-input flag that makes Ctrl+C ask first.
 */
export function useForm<N extends string>(owner: string, initial: Values<N>, options: NoInfer<UseFormOptions<N>>) {
  const t = useT();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Errors<N>>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  /** Counts the submits that showed errors: the form focuses the first one each time, and only then. */
  const [errorsShown, setErrorsShown] = useState(0);
  const { busy, run } = useSubmit();
  const { state: connState } = useConnection();
  // « Pas de connexion au serveur » stops being true once the link is back (seen during render:
  // the frame that says online no longer says it).
  const [connStateSeen, setConnStateSeen] = useState(connState);
  if (connState !== connStateSeen) {
    setConnStateSeen(connState);
    if (connState === 'online' && message?.text === t('conn.notConnected')) setMessage(null);
  }
  const [baseline, setBaseline] = useState(options.saved ?? initial);
  const dirty = (Object.keys(values) as N[]).some((k) => values[k] !== baseline[k]);
  useDirty(owner, dirty);

  const onChange = useCallback((next: Values<N>, changed: N) => {
    setValues(next);
    setErrors((e) => {
      if (!e[changed]) return e;
      const copy = { ...e };
      delete copy[changed];
      return copy;
    });
  }, []);

  /** Runs the client-side checks, showing their messages; true when everything is valid. */
  const check = useCallback((): boolean => {
    const found = options.validate(values);
    if (Object.keys(found).length === 0) return true;
    setErrors(found);
    setErrorsShown((n) => n + 1);
    setMessage({ text: t('form.fixErrors'), tone: 'error' });
    return false;
  }, [options, t, values]);

  /**
   * Validates, then sends. On success `onSuccess` runs (usually it navigates away). On failure the
   * server's message shows in place, next to the field it names, and secrets are cleared unless
   * the request was never sent. `onFailure` may take over (returning true), e.g. for a conflict.
   */
  const submit = useCallback(
    async <T>(task: (values: Values<N>) => Promise<T>, onSuccess: (value: T) => void, onFailure?: (failure: Failure) => boolean) => {
      if (!check()) return;
      setErrors({});
      setMessage(null);
      const outcome = await run(() => task(values));
      if (!outcome) return;
      if (outcome.ok) {
        onSuccess(outcome.value);
        return;
      }
      const failure = describeFailure(outcome.error, t);
      if (!(outcome.error instanceof NotSentError) && options.secret?.length) {
        setValues((v) => {
          const copy = { ...v };
          for (const name of options.secret ?? []) copy[name] = '';
          return copy;
        });
      }
      if (onFailure?.(failure)) return;
      const field = failure.field === undefined ? undefined : (options.fieldFor?.(failure.field) ?? (failure.field as N));
      setErrors(field && field in values ? ({ [field]: failure.message } as Errors<N>) : {});
      if (field && field in values) setErrorsShown((n) => n + 1);
      setMessage({ text: failure.message, tone: 'error' });
    },
    [check, options, run, t, values],
  );

  const formProps = useMemo(() => ({ values, onChange, errors, busy, message, errorsShown, busyLabel: t('form.waiting') }), [values, onChange, errors, busy, message, errorsShown, t]);
  /** Shows errors found after a submit (by the caller): the form focuses the first, once. */
  const showErrors = useCallback((found: Errors<N>) => {
    setErrors(found);
    setErrorsShown((n) => n + 1);
  }, []);
  return { values, setValues, errors, setErrors, showErrors, message, setMessage, busy, check, submit, formProps, markSaved: setBaseline };
}
