/**
 * A display of images with their generated and true captions side by side: an HTML table with
 * embedded PNGs in a notebook, plain text lines outside one.
 */
import { JUPYTER_DISPLAY, MimeBundle } from "../display";
import { CaptionedImageSet, imageAt } from "./captioned-images";
import { encodeImagePng } from "./rgb-png";

/** Options of {@link captionGallery}. */
export interface CaptionGalleryOptions {
  /** How many images to show (default 8, at most the set's count). */
  count?: number;
  /** Pixel scale of the shown images (default 3). */
  scale?: number;
  /** A title above the table. */
  title?: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Images with generated and true captions; displays itself in a notebook. */
export class CaptionGallery {
  constructor(
    readonly set: CaptionedImageSet,
    readonly generated: readonly string[],
    readonly options: CaptionGalleryOptions = {},
  ) {
    const wanted = Math.min(options.count ?? 8, set.count);
    if (generated.length < wanted) {
      throw new Error(`Error in captionGallery: ${generated.length} generated captions for ${wanted} images of the "${set.name}" split; give one generated caption per image shown.`);
    }
  }

  /** Number of images shown. */
  get count(): number {
    return Math.min(this.options.count ?? 8, this.set.count, this.generated.length);
  }

  /** One line per image: "#i  generated: ... | true: ...". */
  toString(): string {
    const lines = this.options.title ? [this.options.title] : [];
    for (let i = 0; i < this.count; i++) {
      const mark = this.generated[i] === this.set.captions[i] ? "=" : "x";
      lines.push(`#${i} ${mark} generated: ${this.generated[i]} | true: ${this.set.captions[i]}`);
    }
    return lines.join("\n");
  }

  /** An HTML table (image, generated caption, true caption) with PNGs as data URIs. */
  toHtml(): string {
    const [h, w, c] = this.set.imageShape;
    const scale = this.options.scale ?? 3;
    const rows: string[] = [];
    for (let i = 0; i < this.count; i++) {
      const png = encodeImagePng(imageAt(this.set, i), w, h, c === 3 ? 3 : 1).toString("base64");
      const same = this.generated[i] === this.set.captions[i];
      rows.push(
        `<tr><td><img alt="image ${i}" width="${w * scale}" height="${h * scale}" style="image-rendering:pixelated" src="data:image/png;base64,${png}"></td>` +
          `<td style="color:${same ? "#1a7f37" : "#b42318"}">${escapeHtml(this.generated[i])}</td><td>${escapeHtml(this.set.captions[i])}</td></tr>`,
      );
    }
    const title = this.options.title ? `<caption>${escapeHtml(this.options.title)}</caption>` : "";
    return `<table class="dl-workbook-captions">${title}<thead><tr><th>image</th><th>generated</th><th>true</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHtml() };
  }
}

/**
 * Shows images with generated and true captions side by side.
 * @example
 * display(captionGallery(scenes.test, model.caption(scenes.test), { count: 6 }));
 */
export function captionGallery(set: CaptionedImageSet, generated: readonly string[], options: CaptionGalleryOptions = {}): CaptionGallery {
  return new CaptionGallery(set, generated, options);
}
