import { createContext, useContext } from 'react';

export interface Layout {
  columns: number;
  rows: number;
  /** Lines a screen's body may use: the frame minus status bar, title, notice lines and footer. */
  bodyHeight: number;
}

/** Frame height is rows - 1: Ink clears the whole terminal on every frame once the frame fills it. */
/** Server messages and a pinned certificate's fingerprint can be long: two lines for them. */
export const NOTICE_LINES = 2;

export function layoutFor(columns: number, rows: number): Layout {
  return { columns, rows, bodyHeight: Math.max(3, rows - 1 - 1 - 1 - NOTICE_LINES - 3) };
}

export const LayoutContext = createContext<Layout>(layoutFor(80, 24));
export const useLayout = () => useContext(LayoutContext);
