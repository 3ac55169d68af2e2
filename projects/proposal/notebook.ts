/**
 * Reads a proposal notebook into its sections: each "## Title" heading in a markdown cell starts
 * a section, each "### Title" a subsection of it; text and code cells that follow belong to the
 * section above them. Cells are numbered from 1 in messages, as a reader counts them.
 */
import type { ICell, INotebookContent } from "@jupyterlab/nbformat";
import { sourceText } from "../../notebook/notebook";
import { marked, type Token, type Tokens } from "marked";

/** A code cell and its position. */
export interface CodeCell {
  /** 1-based cell number in the notebook. */
  cell: number;
  source: string;
}

/** A "### Title" part of a section. */
export interface Subsection {
  title: string;
  /** 1-based cell number of the heading. */
  cell: number;
  /** The markdown tokens under the heading (up to the next heading). */
  tokens: Token[];
}

/** A "## Title" section. */
export interface Section {
  title: string;
  /** 1-based cell number of the heading. */
  cell: number;
  /** The section's own markdown tokens (before its first subsection). */
  tokens: Token[];
  subsections: Subsection[];
  /** Code cells anywhere in the section, its subsections included. */
  codeCells: CodeCell[];
}

/** A proposal notebook split into sections. */
export interface ProposalNotebook {
  /** The file it was read from. */
  file: string;
  notebook: INotebookContent;
  /** The "# Title" of the proposal, if any. */
  title?: string;
  sections: Section[];
}

/** Lower case, single spaces: how section titles are compared. */
export function normalizeTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * Splits a notebook into its "##" sections and "###" subsections.
 *
 * @example
 * const proposal = parseProposal(readNotebook("proposal.ipynb"), "proposal.ipynb");
 * proposal.sections.map((s) => s.title); // ["Team", "Project kind", "Problem statement", ...]
 */
export function parseProposal(notebook: INotebookContent, file: string): ProposalNotebook {
  const proposal: ProposalNotebook = { file, notebook, sections: [] };
  let section: Section | undefined;
  let subsection: Subsection | undefined;
  notebook.cells.forEach((cell: ICell, index) => {
    const number = index + 1;
    const source = sourceText(cell.source);
    if (cell.cell_type === "code") {
      if (section && source.trim() !== "") section.codeCells.push({ cell: number, source });
      return;
    }
    if (cell.cell_type !== "markdown") return;
    for (const token of marked.lexer(source)) {
      if (token.type === "heading") {
        const heading = token as Tokens.Heading;
        if (heading.depth === 1) {
          proposal.title ??= heading.text.trim();
          section = undefined;
          subsection = undefined;
        } else if (heading.depth === 2) {
          section = { title: heading.text.trim(), cell: number, tokens: [], subsections: [], codeCells: [] };
          subsection = undefined;
          proposal.sections.push(section);
        } else if (section) {
          subsection = { title: heading.text.trim(), cell: number, tokens: [] };
          section.subsections.push(subsection);
        }
      } else if (token.type !== "space" && section) {
        (subsection ?? section).tokens.push(token);
      }
    }
  });
  return proposal;
}

/** The section titled `title` (any case and punctuation), or undefined. */
export function findSection(proposal: ProposalNotebook, title: string): Section | undefined {
  return proposal.sections.find((s) => normalizeTitle(s.title) === normalizeTitle(title));
}

/** The subsection titled `title` of `section`, or undefined. */
export function findSubsection(section: Section, title: string): Subsection | undefined {
  return section.subsections.find((s) => normalizeTitle(s.title) === normalizeTitle(title));
}

/** The plain text of markdown tokens (headings excluded), for searching. */
export function tokensText(tokens: readonly Token[]): string {
  return tokens.map((t) => ("text" in t && typeof t.text === "string" ? t.text : t.raw)).join("\n");
}

/** The number of paragraphs among `tokens` (lists, tables and code blocks are not paragraphs). */
export function paragraphCount(tokens: readonly Token[]): number {
  return tokens.filter((t) => t.type === "paragraph").length;
}

/** The items of the lists among `tokens`, as their markdown text. */
export function listItems(tokens: readonly Token[]): string[] {
  return tokens.filter((t): t is Tokens.List => t.type === "list").flatMap((list) => list.items.map((item) => item.text.trim()));
}
