/**
 * One order for everything the test process receives from the processes of a lab (agents' log lines, chargers' frames):
 * a counter, so that a check can say what came before what without reading a clock.
 */
let last = 0;

/** The next receipt's place in the order. */
export function nextReceipt(): number {
  last += 1;
  return last;
}
