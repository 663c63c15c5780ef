import { message } from '../i18n';
import { authed, type HandlerTable } from './context';

type AccountActions = 'create_account' | 'login' | 'resume_session' | 'logout' | 'whoami' | 'change_password' | 'delete_account';

export const accountHandlers: HandlerTable<AccountActions> = {
  create_account: async (ctx, { username, password }, { accounts }) => {
    const user = await accounts.createAccount(username, password, ctx.remoteAddress);
    return { username: user.username, message: message(ctx.lang, 'account_created') };
  },

  login: async (ctx, { username, password }, { accounts }) => {
    const { session, token } = await accounts.login(username, password, ctx.remoteAddress);
    ctx.setSession(session);
    return { username: session.username, session_token: token, message: message(ctx.lang, 'login_ok') };
  },

  resume_session: async (ctx, { session_token }, { accounts }) => {
    const { session, token } = await accounts.resume(session_token);
    ctx.setSession(session);
    return { username: session.username, session_token: token, message: message(ctx.lang, 'login_ok') };
  },

  logout: async (ctx, _params, { accounts }) => {
    await accounts.logout(authed(ctx).session, ctx);
    ctx.setSession(null);
    return { message: message(ctx.lang, 'logout_ok') };
  },

  whoami: (ctx, _params, { accounts }) => accounts.whoami(authed(ctx).session),

  change_password: async (ctx, { old_password, new_password }, { accounts }) => {
    await accounts.changePassword(authed(ctx).session, old_password, new_password, ctx.remoteAddress, ctx);
    return { message: message(ctx.lang, 'password_changed') };
  },

  delete_account: async (ctx, { password }, { accounts, purge }) => {
    const deleted = await accounts.deleteAccount(authed(ctx).session, password, ctx.remoteAddress, ctx);
    ctx.setSession(null);
    purge.request();
    return { message: message(ctx.lang, 'account_deleted'), deleted_contacts: deleted };
  },
};
