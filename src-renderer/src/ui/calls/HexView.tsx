import { hexRows } from './argument-values.ts';

/** 8 bytes a row: offset, hex and ASCII fit the result card beside the form. */
const BYTES_PER_ROW = 8;

/** A buffer as offset, hex and ASCII. */
export function HexView({ hex, label }: { hex: string; label: string }) {
  const rows = hexRows(hex, BYTES_PER_ROW);
  return (
    // Scrolls sideways inside a result card narrower still rather than spilling out of it.
    <div className="hex-scroll">
      <table className="hex-view" aria-label={label}>
        <thead><tr><th scope="col">offset</th><th scope="col">bytes</th><th scope="col">ASCII</th></tr></thead>
        <tbody>{rows.map((row) => <tr key={row.offset}><td>{row.offset}</td><td>{row.bytes}</td><td>{row.ascii}</td></tr>)}</tbody>
      </table>
    </div>
  );
}
