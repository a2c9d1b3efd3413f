// The regular files (or the directories) under a directory, as archive paths (forward slashes, sorted).
import { type Dirent, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

export function listFiles(root: string): string[] {
  return list(root, (e) => e.isFile());
}

export function listDirs(root: string): string[] {
  return list(root, (e) => e.isDirectory());
}

function list(root: string, keep: (e: Dirent) => boolean): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter(keep)
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}
