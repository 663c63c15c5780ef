import { useState } from 'react';
import { Box, Text } from 'ink';
import { exportFile, importFile, type ImportWarning, type ResultOf, type TransferFormat } from '@annuaire/protocol';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Form } from '../components/Form';
import { formKeys } from '../components/formKeys';
import { Menu } from '../components/Menu';
import { useLayout } from '../components/layout';
import { Screen } from '../components/Screen';
import { Spinner } from '../components/Spinner';
import { WindowedList } from '../components/WindowedList';
import { useBack } from '../hooks/useBack';
import { describeFailure } from '../client/describeFailure';
import { useConnection, useSubmit } from '../hooks/useConnection';
import { useForm } from '../hooks/useForm';
import { useKeypress } from '../hooks/useKeypress';
import { useT, type Translate } from '../i18n';
import { clearNotice, notify } from '../state/actions';
import { useAppState } from '../state/context';
import { checkImportFile, defaultExportPath, expandHome, fileBytes, fileExists, formatFromPath, openExport, type ReadOutcome } from '../lib/files';
import { progressBar } from '../lib/format';
import { compact } from '../lib/validation';

type Mode = { name: 'menu' } | { name: 'import' } | { name: 'export'; format: TransferFormat };

/** Import a vCard or CSV file (a dry run first, then for real), or export the whole annuaire to a file. */
export function Transfer() {
  const t = useT();
  const { dispatch } = useAppState();
  const [mode, setMode] = useState<Mode>({ name: 'menu' });
  const toMenu = () => setMode({ name: 'menu' });
  useBack({ isActive: mode.name === 'menu' });
  if (mode.name === 'import') return <ImportPanel onDone={toMenu} />;
  if (mode.name === 'export') return <ExportPanel format={mode.format} onDone={toMenu} />;
  return (
    <Screen title={t('transfer.heading')} keys={[t('keys.arrows'), t('keys.enter'), t('keys.digits', { max: 3 }), t('keys.esc')]}>
      <Box marginTop={1} marginLeft={2}>
        <Menu
          items={[
            { value: 'import', label: t('transfer.import') },
            { value: 'vcard', label: t('transfer.exportVcard') },
            { value: 'csv', label: t('transfer.exportCsv') },
          ]}
          onSelect={(v) => {
            // The last import's or export's report is read by now.
            dispatch(clearNotice());
            setMode(v === 'import' ? { name: 'import' } : { name: 'export', format: v as TransferFormat });
          }}
        />
      </Box>
    </Screen>
  );
}

function readProblem(outcome: Exclude<ReadOutcome, { ok: true }>, shown: string, t: Translate): string {
  switch (outcome.problem) {
    case 'missing':
      return t('transfer.missing', { path: shown });
    case 'notAFile':
      return t('transfer.notAFile', { path: shown });
    case 'empty':
      return t('transfer.empty', { path: shown });
    case 'unreadable':
      return t('transfer.unreadable', { path: shown, reason: outcome.reason });
  }
}

interface Loaded {
  shown: string;
  format: TransferFormat;
  file: string;
  size: number;
}

/** Where an import or export stands, as the server reports it: drawn as a bar with counts. */
interface Progress {
  phase: 'sending' | 'importing' | 'exporting';
  done: number;
  total: number;
  imported?: number;
  rejected?: number;
}

function ProgressLine({ progress, t }: { progress: Progress | null; t: Translate }) {
  if (!progress) return null;
  const counts =
    progress.phase === 'exporting'
      ? t('transfer.progressExporting', { done: progress.done, total: progress.total })
      : progress.phase === 'sending'
        ? t('transfer.progressSending', { done: Math.round(progress.done / 1024), total: Math.round(progress.total / 1024) })
        : t('transfer.progressImporting', { imported: progress.imported ?? 0, rejected: progress.rejected ?? 0 });
  return (
    <Box flexDirection="column">
      <Text color="cyan">{progressBar(progress.done, progress.total)}</Text>
      <Text dimColor wrap="truncate-end">
        {counts}
      </Text>
    </Box>
  );
}

function ImportPanel({ onDone }: { onDone: () => void }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  const { bodyHeight } = useLayout();
  const form = useForm('import', { path: '' }, { validate: (v) => compact({ path: v.path.trim() ? undefined : t('validation.required') }) });
  /** Read, but of a format its name does not tell: asked. */
  const [asking, setAsking] = useState<Omit<Loaded, 'format'> | null>(null);
  const [preview, setPreview] = useState<(Loaded & { result: ResultOf<'import_contacts'> }) | null>(null);
  const [selected, setSelected] = useState(0);
  const [progress, setProgress] = useState<Progress | null>(null);
  const importing = useSubmit();
  // Esc from the preview or the format question goes back to the path; from the path, to the menu.
  useBack({
    onBack: () => {
      if (preview || asking) {
        setPreview(null);
        setAsking(null);
      } else onDone();
      return true;
    },
    askIfUnsaved: !preview && !asking,
  });

  const send = (loaded: Loaded, dryRun: boolean) =>
    importFile(conn, loaded.format, fileBytes(loaded.file), loaded.size, { dryRun, onProgress: setProgress }).finally(() => setProgress(null));

  const dryRun = (loaded: Loaded) =>
    form.submit(
      () => send(loaded, true),
      (result) => {
        setSelected(0);
        setPreview({ ...loaded, result });
      },
    );

  const check = async () => {
    if (!form.check()) return;
    const shown = form.values.path.trim();
    const file = expandHome(shown);
    const format = formatFromPath(file);
    const read = await checkImportFile(file);
    if (!read.ok) {
      form.setMessage({ text: readProblem(read, shown, t), tone: 'error' });
      return;
    }
    form.setMessage(null);
    if (format) void dryRun({ shown, format, file, size: read.size });
    else setAsking({ shown, file, size: read.size });
  };

  const importForReal = async () => {
    if (!preview || preview.result.imported === 0) return;
    const outcome = await importing.run(() => send(preview, false));
    if (!outcome) return;
    if (outcome.ok) {
      form.markSaved(form.values);
      dispatch(notify(t('transfer.imported', { count: outcome.value.imported, path: preview.shown })));
      onDone();
      return;
    }
    setPreview(null);
    form.setMessage({ text: describeFailure(outcome.error, t).message, tone: 'error' });
  };

  // Cards left out, then values left out of cards that were imported.
  const rejected: (ImportWarning & { kept?: true })[] = preview ? [...preview.result.rejected, ...preview.result.warnings.map((w) => ({ ...w, kept: true as const }))] : [];
  const listHeight = Math.max(1, bodyHeight - 4);
  useKeypress(
    (event) => {
      const { key } = event;
      if (key.return) {
        void importForReal();
        return true;
      }
      const page = listHeight;
      const to = key.upArrow ? selected - 1 : key.downArrow ? selected + 1 : key.pageUp ? selected - page : key.pageDown ? selected + page : key.home ? 0 : key.end ? rejected.length - 1 : null;
      if (to === null) return false;
      setSelected(Math.max(0, Math.min(to, rejected.length - 1)));
      return true;
    },
    { isActive: preview !== null },
  );

  if (preview) {
    const keys = [...(preview.result.imported > 0 ? [t('keys.importNow')] : []), ...(rejected.length > listHeight ? [t('keys.arrows'), t('keys.page')] : []), t('keys.cancel')];
    return (
      <Screen title={t('transfer.heading')} keys={keys}>
        <Text wrap="truncate-end">{t('transfer.preview', { path: preview.shown, imported: preview.result.imported, rejected: preview.result.rejected_total })}</Text>
        {preview.result.warnings_total > 0 ? <Text wrap="truncate-end">{t('transfer.warned', { count: preview.result.warnings_total })}</Text> : null}
        {preview.result.imported === 0 ? <Text color="yellow">{t('transfer.nothing')}</Text> : null}
        {importing.busy ? (progress ? <ProgressLine progress={progress} t={t} /> : <Spinner label={t('transfer.importing')} />) : null}
        {rejected.length > 0 ? (
          <Box flexDirection="column" marginTop={1}>
            <Text dimColor>{t('transfer.rejectedHeading')}</Text>
            <WindowedList
              total={rejected.length}
              selected={selected}
              height={Math.min(listHeight, rejected.length)}
              renderRow={(i, isSelected) => <RejectedRow problem={rejected[i]!} selected={isSelected} t={t} />}
            />
          </Box>
        ) : null}
      </Screen>
    );
  }

  return (
    <Screen title={t('transfer.heading')} keys={asking ? [t('keys.arrows'), t('keys.enter'), t('keys.cancel')] : formKeys(t)}>
      <Text dimColor wrap="truncate-end">
        {t('transfer.importHeading')}
      </Text>
      <Box marginTop={1} flexDirection="column">
        <Form {...form.formProps} isActive={asking === null} fields={[{ name: 'path', label: t('transfer.path'), maxLength: 4096 }]} submitLabel={t('transfer.check')} onSubmit={() => void check()} labelWidth={12} fieldWidth={50} />
      </Box>
      <ProgressLine progress={progress} t={t} />
      {asking ? (
        <Box marginTop={1} marginLeft={2} flexDirection="column">
          <Text bold>{t('transfer.askFormat', { path: asking.shown })}</Text>
          <Menu<TransferFormat>
            items={[
              { value: 'vcard', label: 'vCard' },
              { value: 'csv', label: 'CSV' },
            ]}
            onSelect={(format) => {
              setAsking(null);
              void dryRun({ ...asking, format });
            }}
          />
        </Box>
      ) : null}
    </Screen>
  );
}

function RejectedRow({ problem, selected, t }: { problem: ImportWarning & { kept?: true }; selected: boolean; t: Translate }) {
  const label = problem.label || t('transfer.noLabel');
  return (
    <Text wrap="truncate-end" inverse={selected} dimColor={problem.kept}>
      {problem.kept
        ? t('transfer.warningRow', { position: problem.position, label, field: problem.field, value: problem.detail ?? '', message: problem.message })
        : t('transfer.rejectedRow', { position: problem.position, label, message: problem.message })}
    </Text>
  );
}

function ExportPanel({ format, onDone }: { format: TransferFormat; onDone: () => void }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  const form = useForm('export', { path: defaultExportPath(conn.username ?? 'annuaire', format) }, { validate: (v) => compact({ path: v.path.trim() ? undefined : t('validation.required') }) });
  const [overwrite, setOverwrite] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  useBack({ isActive: overwrite === null, onBack: () => (onDone(), true) });

  // Page after page to the file: a large annuaire is never held whole.
  const doExport = (file: string) =>
    form.submit(
      async () => {
        const out = await openExport(file, (reason) => t('transfer.writeFailed', { path: file, reason }));
        try {
          return await exportFile(conn, { format }, async (text, p) => {
            await out.write(text);
            setProgress({ phase: 'exporting', ...p });
          });
        } finally {
          await out.close();
          setProgress(null);
        }
      },
      (count) => {
        dispatch(notify(t('transfer.exported', { count, path: file })));
        onDone();
      },
    );

  const onSubmit = async () => {
    if (!form.check()) return;
    const file = expandHome(form.values.path);
    if (await fileExists(file)) setOverwrite(file);
    else void doExport(file);
  };

  return (
    <Screen
      title={t('transfer.heading')}
      keys={formKeys(t)}
      dialog={
        overwrite ? (
          <ConfirmDialog
            message={t('transfer.exists', { path: overwrite })}
            onYes={() => {
              setOverwrite(null);
              void doExport(overwrite);
            }}
            onNo={() => setOverwrite(null)}
          />
        ) : null
      }
    >
      <Text dimColor wrap="truncate-end">
        {t('transfer.exportHeading', { format: format === 'vcard' ? 'vCard' : 'CSV' })}
      </Text>
      <Box marginTop={1} flexDirection="column">
        <Form {...form.formProps} isActive={overwrite === null} fields={[{ name: 'path', label: t('transfer.path'), maxLength: 4096 }]} submitLabel={t('transfer.export')} onSubmit={() => void onSubmit()} labelWidth={12} fieldWidth={50} />
      </Box>
      <ProgressLine progress={progress} t={t} />
    </Screen>
  );
}
