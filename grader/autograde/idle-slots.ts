/**
 * The job slots of a grading run (`workbook grade --jobs N`) that have no submission left to take.
 * Near the end of a run some jobs finish while others still grade; a submission whose function
 * hangs may borrow such a slot to run its next hidden case ahead in a kernel of its own (see
 * run-submission.ts), so a class never waits on one core for a looping submission's time limits
 * while the other cores idle. Kernels running never outnumber the jobs asked for.
 * Example: `const idle = new IdleSlots(); idle.add(); const giveBack = idle.borrow(); giveBack?.();`
 */
export class IdleSlots {
  private free = 0;

  /** A job has nothing left to grade: its slot can be lent. */
  add(): void {
    this.free++;
  }

  /** Takes a free slot: returns the function that gives it back (call it once the kernel run there is gone), or null when none is free. */
  borrow(): (() => void) | null {
    if (this.free === 0) return null;
    this.free--;
    let returned = false;
    return () => {
      if (returned) return;
      returned = true;
      this.free++;
    };
  }

  /** How many slots are free now. */
  get available(): number {
    return this.free;
  }
}
