/** Full-height chat on a phone: while chatting, the page is exactly as tall as what is visible
 * (visualViewport, so the on-screen keyboard is accounted for; 100dvh where it is missing), and the
 * composer stays pinned at the bottom. */

export function pinToVisibleHeight(): () => void {
  const root = document.documentElement;
  const vv = window.visualViewport;
  const update = () => {
    if (vv) root.style.setProperty("--vvh", `${Math.round(vv.height)}px`);
  };
  root.classList.add("chatting");
  update();
  vv?.addEventListener("resize", update);
  return () => {
    vv?.removeEventListener("resize", update);
    root.classList.remove("chatting");
    root.style.removeProperty("--vvh");
  };
}
