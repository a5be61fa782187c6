import { backToFolder } from '../../store/folder-actions.ts';
import { useFileFromFolder } from '../../store/folder-hooks.ts';

/** In a file opened from the folder table: the way back to the table (also Esc). */
export function BackToFolder() {
  const fromFolder = useFileFromFolder();
  if (!fromFolder) return null;
  return <button type="button" onClick={backToFolder}>Back to folder (Esc)</button>;
}
