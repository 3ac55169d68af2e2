/** Play controls for animated figures (Plotly frames). */
import { Layout } from "./types";

/**
 * The layout additions that give an animated figure a Play/Pause button and a slider over its
 * frames, named `frameNames`.
 *
 * @example
 * ```ts
 * figure({ data, frames, layout: { ...animationControls(frames.map(f => f.name)), title: { text: "paths" } } });
 * ```
 */
export function animationControls(frameNames: string[], frameDurationMs = 60): Pick<Layout, "updatemenus" | "sliders"> {
  const play = { frame: { duration: frameDurationMs, redraw: false }, fromcurrent: true, transition: { duration: 0 } };
  return {
    updatemenus: [
      {
        type: "buttons",
        showactive: false,
        x: 0,
        y: -0.12,
        xanchor: "left",
        buttons: [
          { label: "Play", method: "animate", args: [null, play] },
          { label: "Pause", method: "animate", args: [[null], { mode: "immediate", frame: { duration: 0, redraw: false } }] },
        ],
      },
    ],
    sliders: [
      {
        active: 0,
        x: 0.12,
        len: 0.88,
        y: -0.05,
        steps: frameNames.map((name) => ({ label: name, method: "animate", args: [[name], { mode: "immediate", frame: { duration: 0, redraw: false } }] })),
      },
    ],
  };
}
