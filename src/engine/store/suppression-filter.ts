/**
 * The suppression check runs on every lead, and almost every lead is not suppressed, so it is
 * answered from memory first: a counting filter over the hashes' leading 32 bits. A zero slot
 * proves the hash is not listed; a non-zero slot is confirmed by the primary key. Memory is one byte
 * a slot, at least two slots an entry (a false hit on at most about four leads in ten at worst,
 * which then costs one indexed read), 64 MiB at most whatever the list's size — ten million DNC
 * numbers fit, where a Map of keys would not. A slot that reaches 255 stays there (removing an
 * entry cannot prove the others gone), which only turns a "no" into a confirmed read.
 */
const MIN_BITS = 16;
const MAX_BITS = 26;
const SATURATED = 255;

export class SuppressionFilter {
  private slots: Uint8Array;
  private mask: number;
  private entries = 0;

  constructor(expectedEntries = 0) {
    const bits = bitsFor(expectedEntries);
    this.slots = new Uint8Array(1 << bits);
    this.mask = (1 << bits) - 1;
  }

  /** False means certainly not listed; true means "read the table". */
  mayHold(hash: string): boolean {
    return this.slots[this.slotOf(hash)] !== 0;
  }

  add(hash: string): void {
    const i = this.slotOf(hash);
    if (this.slots[i] < SATURATED) this.slots[i]++;
    this.entries++;
  }

  remove(hash: string): void {
    const i = this.slotOf(hash);
    if (this.slots[i] > 0 && this.slots[i] < SATURATED) this.slots[i]--;
    this.entries = Math.max(0, this.entries - 1);
  }

  /** True when the list has outgrown the filter and a rebuild at a larger size would pay off. */
  get crowded(): boolean {
    return this.entries > this.slots.length / 2 && bitsFor(this.entries) > Math.log2(this.slots.length);
  }

  get size(): number {
    return this.entries;
  }

  private slotOf(hash: string): number {
    return parseInt(hash.slice(0, 8), 16) & this.mask;
  }
}

function bitsFor(entries: number): number {
  let bits = MIN_BITS;
  while (bits < MAX_BITS && 1 << bits < entries * 2) bits++;
  return bits;
}
