import AdmZip from "adm-zip";
import * as fs from "fs";
import * as path from "path";

/** One student's submitted notebook, as bytes, with when it was submitted. */
export interface Submission {
  /** Student id: the notebook's file stem, or the per-student folder's name. */
  student: string;
  /** Where it came from, for messages (a path, or zip:entry). */
  origin: string;
  bytes: Buffer;
  /** The submission's timestamp (file modification time, or the zip entry's time). */
  submittedAt: Date;
}

/** A student id safe as a folder name: letters, digits, dot, dash, underscore; never "." or "..". */
export function safeStudentId(raw: string): string {
  const id = raw
    .replace(/[^A-Za-z0-9._@-]/g, "_")
    .replace(/^\.+/, "_")
    .slice(0, 100);
  return id === "" ? "_" : id;
}

function notebookIn(folder: string): string | null {
  const notebooks = fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
    .sort();
  return notebooks.length > 0 ? path.join(folder, notebooks[0]) : null;
}

/**
 * Finds the submissions in `source`: a folder of `.ipynb` files (student id = file stem), a folder
 * of per-student folders (id = folder name, the notebook inside), or a `.zip` of either layout.
 * Errors name the path and say which layouts are accepted.
 *
 * Example: listSubmissions("submissions/") -> [{ student: "alice", origin: "submissions/alice.ipynb", ... }]
 */
export function listSubmissions(source: string): Submission[] {
  if (!fs.existsSync(source)) throw new Error(`Error in grade: submissions "${source}" does not exist; give a folder of .ipynb files, a folder of per-student folders, or a .zip.`);
  const found: Submission[] = [];
  if (fs.statSync(source).isFile()) {
    if (!source.endsWith(".zip")) throw new Error(`Error in grade: submissions "${source}" is a file but not a .zip; give a folder or a .zip.`);
    const zip = new AdmZip(source);
    for (const entry of zip.getEntries()) {
      if (entry.isDirectory || !entry.entryName.endsWith(".ipynb") || entry.entryName.includes("__MACOSX")) continue;
      const parts = entry.entryName.split("/").filter((p) => p !== "");
      const student = parts.length >= 2 ? parts[parts.length - 2] : path.basename(parts[0], ".ipynb");
      found.push({ student: safeStudentId(student), origin: `${source}:${entry.entryName}`, bytes: entry.getData(), submittedAt: entry.header.time });
    }
  } else {
    for (const name of fs.readdirSync(source).sort()) {
      if (name.startsWith(".")) continue;
      const full = path.join(source, name);
      const stat = fs.statSync(full);
      if (stat.isFile() && name.endsWith(".ipynb")) {
        found.push({ student: safeStudentId(path.basename(name, ".ipynb")), origin: full, bytes: fs.readFileSync(full), submittedAt: stat.mtime });
      } else if (stat.isDirectory()) {
        const notebook = notebookIn(full);
        if (notebook) found.push({ student: safeStudentId(name), origin: notebook, bytes: fs.readFileSync(notebook), submittedAt: fs.statSync(notebook).mtime });
      }
    }
  }
  const seen = new Set<string>();
  for (const s of found) {
    if (seen.has(s.student)) throw new Error(`Error in grade: two submissions for student "${s.student}" (one is ${s.origin}); keep one per student.`);
    seen.add(s.student);
  }
  if (found.length === 0) throw new Error(`Error in grade: no .ipynb submissions found in "${source}".`);
  return found;
}
