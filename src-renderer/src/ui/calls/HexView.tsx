import { hexRows } from './argument-values.ts';

/** A buffer as offset, hex and ASCII, 16 bytes a row. */
export function HexView({ hex, label }: { hex: string; label: string }) {
  const rows = hexRows(hex);
  return (
    <table className="hex-view" aria-label={label}>
      <thead><tr><th scope="col">offset</th><th scope="col">bytes</th><th scope="col">ASCII</th></tr></thead>
      <tbody>{rows.map((row) => <tr key={row.offset}><td>{row.offset}</td><td>{row.bytes}</td><td>{row.ascii}</td></tr>)}</tbody>
    </table>
  );
}
