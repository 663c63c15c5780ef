/** Who a connection is logged in as. Set only by a successful login or resume; never from request parameters. */
export interface AuthSession {
  userId: number;
  username: string;
  annuaireId: number;
  sessionId: number;
}
