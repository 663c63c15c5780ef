import type { HandlerTable } from './context';

export const systemHandlers: HandlerTable<'ping' | 'set_language'> = {
  ping: () => ({ pong: true, time: new Date().toISOString() }),
  set_language: (ctx, { lang }) => {
    ctx.setLang(lang);
    return { lang };
  },
};
