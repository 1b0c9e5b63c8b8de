/** Attention for counselors: a short WebAudio tone and a blinking title (both can be switched off), and,
 * only when the counselor opts in, a desktop notification with a generic title (never a message's text). */

type Kind = "message" | "queue";

const BLINK_MS = 1000;
const MIN_GAP_MS = 1500;

export class Notifier {
  enabled = true;
  /** Desktop notifications: off until the counselor asks for them and the browser allows them. */
  desktop = false;
  private ctx: AudioContext | null = null;
  private blinkTimer: ReturnType<typeof setInterval> | null = null;
  private baseTitle = "";
  private lastBeep = 0;

  constructor() {
    const stop = () => {
      if (document.visibilityState === "visible" && document.hasFocus()) this.stopBlink();
    };
    window.addEventListener("focus", stop);
    document.addEventListener("visibilitychange", stop);
  }

  /** Browsers allow audio only after a user gesture: call from a click or key handler. */
  unlock(): void {
    if (this.ctx || typeof AudioContext === "undefined") return;
    try {
      this.ctx = new AudioContext();
    } catch {
      this.ctx = null;
    }
  }

  notify(kind: Kind, title: string): void {
    if (!this.enabled) return;
    this.beep(kind);
    if (document.visibilityState !== "visible" || !document.hasFocus()) {
      this.blink(title);
      this.showDesktop(kind, title);
    }
  }

  /** Asks the browser (from a click) and turns desktop notifications on if allowed; returns whether they are on. */
  async enableDesktop(): Promise<boolean> {
    if (typeof Notification === "undefined") return false;
    const permission = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
    this.desktop = permission === "granted";
    return this.desktop;
  }

  disableDesktop(): void {
    this.desktop = false;
  }

  private showDesktop(kind: Kind, title: string): void {
    if (!this.desktop || typeof Notification === "undefined" || Notification.permission !== "granted") return;
    try {
      const note = new Notification(title, { tag: `lykta-${kind}` }); // generic: what a locked screen may show
      note.onclick = () => {
        window.focus();
        note.close();
      };
    } catch {
      /* some browsers allow notifications only from a service worker: the tone and the title remain */
    }
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) this.stopBlink();
  }

  private beep(kind: Kind): void {
    const ctx = this.ctx;
    const now = Date.now();
    if (!ctx || now - this.lastBeep < MIN_GAP_MS) return;
    this.lastBeep = now;
    if (ctx.state === "suspended") void ctx.resume();
    const t = ctx.currentTime;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.setValueAtTime(kind === "queue" ? 660 : 880, t);
    if (kind === "queue") osc.frequency.setValueAtTime(880, t + 0.14);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.32);
  }

  private blink(title: string): void {
    if (this.blinkTimer) return;
    this.baseTitle = document.title;
    let on = false;
    this.blinkTimer = setInterval(() => {
      on = !on;
      document.title = on ? `● ${title}` : this.baseTitle;
    }, BLINK_MS);
  }

  private stopBlink(): void {
    if (!this.blinkTimer) return;
    clearInterval(this.blinkTimer);
    this.blinkTimer = null;
    document.title = this.baseTitle;
  }
}
