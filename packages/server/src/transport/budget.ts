/**
 * Memory every connection draws from, so that what clients send or fail to read is bounded
 * in total, not only per connection: 10,000 connections each allowed 1 MiB of unfinished
 * line would otherwise be 10 GB.
 *
 * - Unfinished request lines: a connection whose partial line would take the total past
 *   the budget stops being read until others free theirs (its frame timer still runs).
 * - Unsent replies: when the total left unread by clients passes the budget, the
 *   connections backed up longest are dropped until it fits.
 */
export interface BudgetMember {
  /** Bytes of this connection's unfinished request line. */
  readonly inputBytes: number;
  /** Bytes of replies written but not yet taken by the client. */
  readonly outputBytes: number;
  /** Stop or go on reading the connection's socket (for the input budget). */
  holdInput(held: boolean): void;
  /** Drop the connection: it holds too much unread output. */
  dropForOutput(): void;
}

export class MemoryBudget {
  private readonly inputs = new Map<BudgetMember, number>();
  private inputTotal = 0;
  private readonly held = new Set<BudgetMember>();
  private readonly backedUp = new Set<BudgetMember>();

  constructor(
    private readonly maxInputBytes: number,
    private readonly maxOutputBytes: number,
  ) {}

  /** Records a member's unfinished-line size after a read; holds its input when over budget. */
  noteInput(member: BudgetMember): void {
    const before = this.inputs.get(member) ?? 0;
    const now = member.inputBytes;
    if (now === 0) this.inputs.delete(member);
    else this.inputs.set(member, now);
    this.inputTotal += now - before;
    if (now > 0 && this.inputTotal > this.maxInputBytes) {
      this.held.add(member);
      member.holdInput(true);
    } else if (now < before) {
      this.releaseHeld();
    }
  }

  /**
   * Records that a member has output waiting. While the total is over budget, drops the
   * members that have been backed up longest: a client that reads sees its backlog drain
   * (and leaves this set) within moments, whatever the size of its replies; one that does
   * not read stays at the front.
   */
  noteOutput(member: BudgetMember): void {
    if (member.outputBytes === 0) {
      this.backedUp.delete(member);
      return;
    }
    this.backedUp.add(member); // a Set keeps first insertion order: the oldest backlog first
    let total = 0;
    for (const m of this.backedUp) total += m.outputBytes;
    for (const oldest of this.backedUp) {
      if (total <= this.maxOutputBytes) break;
      total -= oldest.outputBytes;
      this.backedUp.delete(oldest);
      oldest.dropForOutput();
    }
  }

  /** A member is gone: give back what it held. */
  leave(member: BudgetMember): void {
    this.inputTotal -= this.inputs.get(member) ?? 0;
    this.inputs.delete(member);
    this.held.delete(member);
    this.backedUp.delete(member);
    this.releaseHeld();
  }

  get heldInputs(): number {
    return this.held.size;
  }

  private releaseHeld(): void {
    if (this.inputTotal > this.maxInputBytes) return;
    for (const m of this.held) m.holdInput(false);
    this.held.clear();
  }
}
