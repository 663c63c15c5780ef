import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, renderUi, waitForFrame } from '../../test/helpers';
import { ConfirmDialog } from './ConfirmDialog';

afterEach(cleanup);

function setup() {
  const answers: string[] = [];
  const ui = renderUi(<ConfirmDialog message="Supprimer ?" onYes={() => answers.push('yes')} onNo={() => answers.push('no')} />);
  return { ui, answers };
}

describe('ConfirmDialog', () => {
  it('says no on Enter by default (No is preselected)', async () => {
    const { ui, answers } = setup();
    expect(ui.lastFrame()).toContain('Supprimer ?');
    ui.stdin.write(KEY.enter);
    await waitForFrame(ui.lastFrame, () => answers.length > 0);
    expect(answers).toEqual(['no']);
  });
  it('says yes on O or Y, and after moving to Oui', async () => {
    const a = setup();
    a.ui.stdin.write('o');
    await waitForFrame(a.ui.lastFrame, () => a.answers.length > 0);
    expect(a.answers).toEqual(['yes']);
    cleanup();
    const b = setup();
    b.ui.stdin.write(KEY.left);
    b.ui.stdin.write(KEY.enter);
    await waitForFrame(b.ui.lastFrame, () => b.answers.length > 0);
    expect(b.answers).toEqual(['yes']);
  });
  it('says no on Esc', async () => {
    const { ui, answers } = setup();
    ui.stdin.write(KEY.esc);
    await waitForFrame(ui.lastFrame, () => answers.length > 0);
    expect(answers).toEqual(['no']);
  });
});
