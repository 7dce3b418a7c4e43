// Small browser helpers the dashboard calls through JS interop.
window.welinkDashboard = (function () {
  const key = "welink-dashboard.preferences";
  let pendingPins = 0;
  let baseTitle = document.title;

  function applyTitle() {
    const current = document.title.replace(/^\(\d+\) /, "");
    baseTitle = current;
    const wanted = pendingPins > 0 ? "(" + pendingPins + ") " + current : current;
    if (document.title !== wanted) document.title = wanted;
  }

  // Blazor's <PageTitle> rewrites the title on navigation: keep the pending-PIN count in front.
  new MutationObserver(applyTitle).observe(document.querySelector("title") || document.head, { childList: true, subtree: true, characterData: true });

  return {
    loadPreferences: function () {
      let stored = null;
      try { stored = window.localStorage.getItem(key); } catch (e) { stored = null; }
      let timeZone = null;
      try { timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch (e) { timeZone = null; }
      return { stored: stored, utcOffsetMinutes: -new Date().getTimezoneOffset(), timeZone: timeZone };
    },
    savePreferences: function (json) {
      try { window.localStorage.setItem(key, json); } catch (e) { /* storage disabled */ }
    },
    setPendingPins: function (count) {
      pendingPins = count;
      applyTitle();
    },
    playPinSound: function () {
      try {
        const ctx = new (window.AudioContext || window.webkitAudioContext)();
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = "sine";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.2, ctx.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
        osc.connect(gain).connect(ctx.destination);
        osc.start();
        osc.stop(ctx.currentTime + 0.6);
      } catch (e) { /* no audio */ }
    },
    // Reports whether the tab is shown: returns it now, and calls dotnetRef.invokeMethodAsync("SetVisible", shown)
    // on each change. The latest caller (the circuit's layout) gets the calls; the listener is added once.
    watchVisibility: function (dotnetRef) {
      window.welinkDashboardVisibility = dotnetRef;
      if (!window.welinkDashboardVisibilityWatched) {
        window.welinkDashboardVisibilityWatched = true;
        document.addEventListener("visibilitychange", function () {
          const ref = window.welinkDashboardVisibility;
          // The last report's promise is kept, so a test can tell when the circuit has taken it.
          if (ref) window.welinkDashboardVisibilityReported = ref.invokeMethodAsync("SetVisible", document.visibilityState !== "hidden").catch(function () { /* circuit gone */ });
        });
      }
      return document.visibilityState !== "hidden";
    },
    focusElement: function (id) {
      const el = document.getElementById(id);
      if (el) { el.focus(); if (el.select) el.select(); }
    },
    // Page keyboard shortcuts: calls dotnetRef.invokeMethodAsync("OnShortcutAsync", key) for the
    // listed keys. Keys typed into an input, select or editable element are left alone, except Esc.
    registerShortcuts: function (dotnetRef, keys) {
      window.welinkDashboardShortcuts = window.welinkDashboardShortcuts || { next: 1, handlers: {} };
      const registry = window.welinkDashboardShortcuts;
      const id = registry.next++;
      const handler = function (e) {
        if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
        if (keys.indexOf(e.key) < 0) return;
        const t = e.target;
        const typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
        if (typing && e.key !== "Escape") return;
        if (e.key !== "Escape") e.preventDefault();
        dotnetRef.invokeMethodAsync("OnShortcutAsync", e.key).catch(function () { /* circuit gone */ });
      };
      registry.handlers[id] = handler;
      document.addEventListener("keydown", handler);
      return id;
    },
    unregisterShortcuts: function (id) {
      const registry = window.welinkDashboardShortcuts;
      if (!registry || !registry.handlers[id]) return;
      document.removeEventListener("keydown", registry.handlers[id]);
      delete registry.handlers[id];
    },
    copyText: function (text) {
      try { return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return false; }); }
      catch (e) { return false; }
    },
  };
})();
