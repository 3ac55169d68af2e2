import type { IDisplayData, IError, IExecuteResult, IMimeBundle, IOutput, IStream, OutputMetadata } from "@jupyterlab/nbformat";
import { asText, type WireMessage } from "../wire";

/** The iopub message types that become notebook outputs (or change them). */
const OUTPUT_MESSAGES = new Set(["stream", "display_data", "execute_result", "error", "update_display_data", "clear_output"]);

/** True when an iopub message of this type changes a cell's outputs. */
export function isOutputMessage(msgType: string): boolean {
  return OUTPUT_MESSAGES.has(msgType);
}

interface DisplayContent {
  data?: IMimeBundle;
  metadata?: OutputMetadata;
  transient?: { display_id?: string };
  execution_count?: number | null;
}

/**
 * Outputs that carry a display_id, shared by all cells of one kernel session, so that an
 * `update_display_data` changes the output in whichever cell first showed it (as Jupyter does:
 * a progress bar made in cell 2 and updated from cell 5 changes cell 2).
 */
export class DisplayRegistry {
  private readonly byId = new Map<string, Array<IDisplayData | IExecuteResult>>();

  add(displayId: string, output: IDisplayData | IExecuteResult): void {
    const list = this.byId.get(displayId) ?? [];
    list.push(output);
    this.byId.set(displayId, list);
  }

  /** Replaces data and metadata of every output shown with `displayId`; returns how many changed. */
  update(displayId: string, data: IMimeBundle, metadata: OutputMetadata): number {
    const list = this.byId.get(displayId) ?? [];
    for (const output of list) {
      output.data = data;
      output.metadata = metadata;
    }
    return list.length;
  }

  clear(): void {
    this.byId.clear();
  }
}

/**
 * Turns the iopub messages of one execution into nbformat outputs, the way a notebook front end
 * does: consecutive stream messages of one stream are merged, `clear_output` empties the list
 * (at once, or before the next output when `wait` is set), `update_display_data` changes
 * earlier outputs in place.
 *
 * @example
 * const collector = new OutputCollector(registry);
 * collector.add(msg);            // for each iopub message whose parent is the execute_request
 * collector.outputs;             // IOutput[] ready to store in the code cell
 */
export class OutputCollector {
  readonly outputs: IOutput[] = [];
  private clearPending = false;

  constructor(private readonly registry: DisplayRegistry = new DisplayRegistry()) {}

  /**
   * Applies one iopub message and returns the output this message carries, as a new object
   * (undefined for messages that are not outputs, and for clear_output): for a stream, only this
   * message's text (while {@link outputs} merges it into the previous stream output); for
   * update_display_data, an "update_display_data" output with the new data.
   */
  add(message: WireMessage): IOutput | undefined {
    const type = message.header.msg_type as string;
    const content = message.content;
    if (type === "clear_output") {
      if (content.wait === true) this.clearPending = true;
      else this.outputs.length = 0;
      return undefined;
    }
    if (type === "update_display_data") {
      const c = content as DisplayContent;
      const id = c.transient?.display_id;
      if (id === undefined) return undefined;
      this.registry.update(id, c.data ?? {}, c.metadata ?? {});
      return { output_type: "update_display_data", data: c.data ?? {}, metadata: c.metadata ?? {} };
    }
    if (!isOutputMessage(type)) return undefined;
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    if (type === "stream") {
      const name = content.name === "stderr" ? "stderr" : "stdout";
      const text = asText(content.text);
      const last = this.outputs[this.outputs.length - 1] as IStream | undefined;
      if (last !== undefined && last.output_type === "stream" && last.name === name) last.text = String(last.text) + text;
      else this.outputs.push({ output_type: "stream", name, text });
      return { output_type: "stream", name, text }; // this message's chunk only; `outputs` holds the merged text
    }
    if (type === "error") {
      const error: IError = {
        output_type: "error",
        ename: asText(content.ename, "Error"),
        evalue: asText(content.evalue),
        traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
      };
      this.outputs.push(error);
      return error;
    }
    const c = content as DisplayContent;
    const output: IDisplayData | IExecuteResult =
      type === "execute_result"
        ? { output_type: "execute_result", execution_count: c.execution_count ?? null, data: c.data ?? {}, metadata: c.metadata ?? {} }
        : { output_type: "display_data", data: c.data ?? {}, metadata: c.metadata ?? {} };
    const id = c.transient?.display_id;
    if (id !== undefined) this.registry.add(id, output);
    this.outputs.push(output);
    return output;
  }
}
