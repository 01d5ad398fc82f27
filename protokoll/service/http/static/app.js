// protokoll web interface: resumable upload with progress, live job progress.
// Talks to the JSON API (/api/...) with the session cookie and the CSRF token from
// <meta name="csrf-token">. No inline scripts anywhere (the app sends a strict CSP).
"use strict";

(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const CSRF = meta ? meta.getAttribute("content") || "" : "";
  const POLL_MS = 2000;
  const MAX_RETRIES = 6;
  const ACTIVE = ["queued", "running"];

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  // ---- formatting (German) -------------------------------------------------------------

  function numDe(value, digits) {
    return value.toFixed(digits).replace(".", ",");
  }

  function sizeDe(bytes) {
    if (bytes < 1024 * 1024) return Math.max(1, Math.ceil(bytes / 1024)) + " KB";
    if (bytes < 1024 * 1024 * 1024) return numDe(bytes / (1024 * 1024), 1) + " MB";
    return numDe(bytes / (1024 * 1024 * 1024), 1) + " GB";
  }

  function durationDe(seconds) {
    const total = Math.max(0, Math.round(seconds));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const ss = String(s).padStart(2, "0");
    return h ? h + ":" + String(m).padStart(2, "0") + ":" + ss : m + ":" + ss;
  }

  function dateTimeDe(iso) {
    const d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    const p = function (n) { return String(n).padStart(2, "0"); };
    return p(d.getDate()) + "." + p(d.getMonth() + 1) + "." + d.getFullYear() + ", " +
      p(d.getHours()) + ":" + p(d.getMinutes()) + " Uhr";
  }

  // ---- JSON API ------------------------------------------------------------------------

  // {ok, status, data}; throws only on a network error
  async function api(method, url, body) {
    const headers = { "Accept": "application/json", "X-CSRF-Token": CSRF };
    const options = { method: method, headers: headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    return { ok: response.ok, status: response.status, data: data };
  }

  function detail(result, fallback) {
    if (result && result.data && typeof result.data.detail === "string") return result.data.detail;
    if (result && result.status === 401) return "Ihre Anmeldung ist abgelaufen. Bitte die Seite neu laden und anmelden.";
    return fallback;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- upload --------------------------------------------------------------------------

  // PUT one chunk with XMLHttpRequest (it reports upload progress; fetch does not)
  function putChunk(url, blob, onProgress, holder) {
    return new Promise(function (resolve, reject) {
      const xhr = new XMLHttpRequest();
      holder.xhr = xhr;
      xhr.open("PUT", url);
      xhr.setRequestHeader("X-CSRF-Token", CSRF);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = function (event) { if (event.lengthComputable) onProgress(event.loaded); };
      xhr.onload = function () {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
        resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, data: data });
      };
      xhr.onerror = function () { reject(new Error("network")); };
      xhr.onabort = function () { reject(new Error("abort")); };
      xhr.send(blob);
    });
  }

  function initUpload(form) {
    const meetingId = form.getAttribute("data-meeting-id");
    const input = form.querySelector('input[type="file"]');
    const button = form.querySelector("#upload-button");
    const cancel = form.querySelector("#upload-cancel");
    const row = form.querySelector("#upload-progress-row");
    const bar = form.querySelector("#upload-progress");
    const percent = form.querySelector("#upload-percent");
    const status = form.querySelector("#upload-status");
    const announce = form.querySelector("#upload-announce");
    const state = { busy: false, cancelled: false, uploadId: null, xhr: null, announced: -1 };

    function say(text, kind) {
      status.textContent = text;
      status.classList.toggle("is-error", kind === "error");
      status.classList.toggle("is-ok", kind === "ok");
    }

    function show(done, total) {
      const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
      bar.value = pct;
      bar.textContent = pct + " %";
      percent.textContent = pct + " %";
      const quarter = Math.floor(pct / 25);
      if (quarter > state.announced && announce) {  // screen readers hear every 25 %
        state.announced = quarter;
        announce.textContent = pct + " % hochgeladen";
      }
    }

    function finish() {
      state.busy = false;
      state.uploadId = null;
      state.xhr = null;
      button.disabled = false;
      input.disabled = false;
      cancel.hidden = true;
    }

    function fail(message) {
      finish();
      say(message, "error");
    }

    function beforeUnload(event) {
      if (state.busy) { event.preventDefault(); event.returnValue = ""; }
    }
    window.addEventListener("beforeunload", beforeUnload);

    cancel.addEventListener("click", async function () {
      if (!state.busy) return;
      state.cancelled = true;
      if (state.xhr) state.xhr.abort();
      const id = state.uploadId;
      finish();
      say("Upload abgebrochen.", "error");
      if (id) { try { await api("DELETE", "/api/uploads/" + id); } catch (e) { /* best effort */ } }
    });

    async function sendChunks(file, id, chunkBytes, offset) {
      let retries = 0;
      let conflicts = 0;
      while (offset < file.size) {
        if (state.cancelled) return null;
        const end = Math.min(offset + chunkBytes, file.size);
        const start = offset;
        let result;
        try {
          result = await putChunk("/api/uploads/" + id + "?offset=" + start, file.slice(start, end),
            function (loaded) { show(start + loaded, file.size); }, state);
        } catch (error) {
          if (state.cancelled) return null;
          retries += 1;
          if (retries > MAX_RETRIES) {
            throw new Error("Die Verbindung zum Server ist unterbrochen. Bitte die Netzwerkverbindung prüfen und die Datei erneut auswählen.");
          }
          say("Verbindung unterbrochen – neuer Versuch (" + retries + " von " + MAX_RETRIES + ") …");
          await sleep(Math.min(1000 * Math.pow(2, retries - 1), 15000));
          try {
            const where = await api("GET", "/api/uploads/" + id);
            if (where.ok && typeof where.data.offset === "number") offset = where.data.offset;
            else if (!where.ok && where.status !== 502 && where.status !== 503) {
              throw new Error(detail(where, "Der Upload kann nicht fortgesetzt werden."));
            }
          } catch (lookupError) {
            if (lookupError.message !== "Failed to fetch" && lookupError.name !== "TypeError") throw lookupError;
          }
          show(offset, file.size);
          continue;
        }
        if (result.ok) {
          retries = 0;
          conflicts = 0;
          offset = result.data.offset;
          show(offset, file.size);
        } else if (result.status === 409 && result.data && typeof result.data.offset === "number" && conflicts < 3) {
          conflicts += 1;
          offset = result.data.offset;  // the server has a different offset: continue there
        } else {
          throw new Error(detail(result, "Der Upload wurde abgelehnt."));
        }
      }
      return offset;
    }

    async function complete(id) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await api("POST", "/api/uploads/" + id + "/complete");
        } catch (error) {
          if (attempt >= MAX_RETRIES) throw new Error("Die Verbindung zum Server ist unterbrochen.");
          await sleep(Math.min(1000 * Math.pow(2, attempt), 15000));
        }
      }
    }

    async function upload(file) {
      state.busy = true;
      state.cancelled = false;
      state.announced = -1;
      button.disabled = true;
      input.disabled = true;
      cancel.hidden = false;
      row.hidden = false;
      show(0, file.size);
      say("Upload wird vorbereitet …");
      let started;
      try {
        started = await api("POST", "/api/meetings/" + meetingId + "/uploads", { filename: file.name, size: file.size });
      } catch (error) {
        fail("Keine Verbindung zum Server. Bitte später erneut versuchen.");
        return;
      }
      if (!started.ok) { fail(detail(started, "Der Upload wurde abgelehnt.")); return; }
      const id = started.data.id;
      state.uploadId = id;
      state.announced = -1;
      say("Wird hochgeladen …");
      try {
        const sent = await sendChunks(file, id, started.data.chunk_bytes, started.data.offset || 0);
        if (sent === null) return;  // cancelled
        show(file.size, file.size);
        say("Datei vollständig übertragen (100 %). Die Aufnahme wird geprüft …");
        cancel.hidden = true;
        const done = await complete(id);
        if (!done.ok) { fail(detail(done, "Die Datei wurde nicht angenommen.")); return; }
        finish();
        input.value = "";
        addRecording(meetingId, done.data);
        const auto = form.querySelector("#upload-autostart");
        if (auto && auto.checked) {
          say("„" + done.data.name + "“ wurde hochgeladen und geprüft. Die Verarbeitung wird gestartet …", "ok");
          await autostart(meetingId, done.data);
        } else {
          say("„" + done.data.name + "“ wurde hochgeladen und geprüft. Sie können jetzt die Verarbeitung starten.", "ok");
        }
      } catch (error) {
        if (!state.cancelled) fail(error.message);
      }
    }

    // processing starts by itself after a successful upload (no second click); the page
    // then shows the new job with its live progress
    async function autostart(meetingId, rec) {
      let result;
      try {
        result = await api("POST", "/api/meetings/" + meetingId + "/jobs", { recording_id: rec.id });
      } catch (e) {
        say("„" + rec.name + "“ wurde hochgeladen, aber die Verarbeitung konnte nicht gestartet werden (keine Verbindung). Bitte unten „Verarbeitung starten“ wählen.", "error");
        return;
      }
      if (!result.ok) {
        say("„" + rec.name + "“ wurde hochgeladen. Die Verarbeitung wurde nicht gestartet: " + detail(result, "Der Start wurde abgelehnt."), "error");
        return;
      }
      window.location.assign("/sitzungen/" + meetingId + "?hinweis=hochgeladen_gestartet#auftrag-" + result.data.id);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (state.busy) return;
      const file = input.files && input.files[0];
      if (!file) { say("Bitte zuerst eine Datei auswählen.", "error"); input.focus(); return; }
      upload(file);
    });
  }

  function addRecording(meetingId, rec) {
    const list = document.getElementById("recordings");
    if (list) {
      const empty = document.getElementById("no-recordings");
      if (empty) empty.remove();
      const item = el("li", "recording");
      item.appendChild(el("span", "rec-name", rec.name));
      let facts = " · " + sizeDe(rec.size_bytes);
      if (rec.duration_s) facts += " · " + durationDe(rec.duration_s);
      if (rec.format) facts += " · " + rec.format;
      facts += " · hochgeladen " + dateTimeDe(rec.created_at);
      item.appendChild(el("span", "muted", facts));
      const link = el("a", "", "Herunterladen");
      // a page, not a bare download: a deleted recording gets a German message there
      link.href = "/sitzungen/" + meetingId + "/aufnahmen/" + rec.id;
      link.appendChild(el("span", "visually-hidden", " (" + rec.name + ")"));
      item.appendChild(link);
      list.appendChild(item);
    }
    const startForm = document.getElementById("start-form");
    if (startForm) {
      const select = startForm.querySelector("select[name=recording_id]");
      if (select) {
        const option = el("option", "", rec.name);
        option.value = rec.id;
        select.appendChild(option);
        select.value = rec.id;
      }
      startForm.hidden = anyActive();
    }
    const noJobs = document.getElementById("no-jobs");
    if (noJobs) noJobs.textContent = "Noch keine Verarbeitung.";
  }

  // ---- jobs ----------------------------------------------------------------------------

  function applyState(card, job) {
    card.setAttribute("data-state", job.state);
    const badge = card.querySelector(".job-state");
    badge.textContent = job.state_label;
    badge.className = "badge state-" + job.state + " job-state";
    card.querySelector(".job-stage").textContent = stageText(job);
    const times = card.querySelector(".job-times");
    if (times && job.stage_times) {
      times.querySelector(".job-times-list").textContent = job.stage_times.map(function (t) {
        return t.label + " " + durationDe(t.seconds);
      }).join(" · ");
      times.hidden = job.stage_times.length === 0;
    }
    const pct = Math.floor((job.progress || 0) * 100);
    const bar = card.querySelector(".job-progress");
    bar.value = pct;
    bar.textContent = pct + " %";
    card.querySelector(".job-percent").textContent = pct + " %";
    const eta = card.querySelector(".job-eta");
    eta.textContent = job.state === "running" && typeof job.eta_s === "number" ? "noch ca. " + durationDe(job.eta_s) : "";
    const error = card.querySelector(".job-error");
    error.textContent = job.error || "";
    error.hidden = !(job.state === "failed" && job.error);
    const cancelNote = card.querySelector(".job-cancel");
    if (cancelNote) cancelNote.hidden = !(job.state === "running" && job.cancel_requested);
    card.querySelectorAll("form[data-states]").forEach(function (f) {
      f.hidden = f.getAttribute("data-states").split(" ").indexOf(job.state) < 0;
    });
    const docs = card.querySelector(".job-docs");
    if (job.state !== "done" && !job.transcript_ready) docs.hidden = true;
    const read = card.querySelector(".job-transcript-link");
    if (read) read.hidden = !job.transcript_ready;
    const note = card.querySelector(".job-docs-note");
    if (note) note.hidden = job.state === "done" || !job.transcript_ready;
  }

  function stageText(job) {
    if (job.state === "running" && job.transcript_ready && job.stage === "minutes") {
      return "Transkript fertig – Niederschrift wird erstellt …";
    }
    if (job.state === "running" && job.stage_label) return job.stage_label;
    if (job.state === "queued" && job.queue_position) return "Platz " + job.queue_position + " in der Warteschlange";
    if (job.state === "queued") return "wartet auf einen freien Verarbeitungsplatz";
    return "";
  }

  // a visible notice (role=status: screen readers hear it) when the job ends
  const END_TEXTS = {
    done: "Verarbeitung abgeschlossen – die Dokumente stehen bereit.",
    failed: "Verarbeitung fehlgeschlagen.",
    cancelled: "Verarbeitung abgebrochen."
  };

  function sayEnd(region, text, ok) {
    region.textContent = text;
    region.classList.add("notice");
    region.classList.toggle("notice-ok", ok);
    region.classList.toggle("notice-error", !ok);
  }

  function announceEnd(card, state) {
    const notice = card.querySelector(".job-finished");
    if (!notice || !END_TEXTS[state]) return;
    sayEnd(notice, END_TEXTS[state], state === "done");
  }

  // ---- the queue page: live places, stages and progress; a notice when a job ends ------

  function initQueue() {
    const section = document.getElementById("queue");
    if (!section || section.getAttribute("data-poll") !== "ja") return;
    const announce = document.getElementById("queue-announce");
    (async function () {
      for (;;) {
        await sleep(POLL_MS * 2);
        let result;
        try { result = await api("GET", "/api/queue"); } catch (e) { continue; }
        if (!result.ok) return;
        const byId = {};
        result.data.active.concat(result.data.finished).forEach(function (job) { byId[job.id] = job; });
        let open = 0;
        section.querySelectorAll("tr[data-queue-job]").forEach(function (row) {
          const job = byId[row.getAttribute("data-queue-job")];
          if (!job) return;
          const was = row.getAttribute("data-state");
          row.setAttribute("data-state", job.state);
          const badge = row.querySelector(".queue-state");
          badge.textContent = job.state_label;
          badge.className = "badge state-" + job.state + " queue-state";
          row.querySelector(".queue-stage").textContent = stageText(job).replace(/^wartet auf .*$/, "");
          row.querySelector(".queue-percent").textContent = Math.floor((job.progress || 0) * 100) + " %";
          row.querySelector(".queue-eta").textContent = job.state === "running" && typeof job.eta_s === "number" ? "noch ca. " + durationDe(job.eta_s) : "";
          if (ACTIVE.indexOf(job.state) >= 0) open += 1;
          else if (ACTIVE.indexOf(was) >= 0 && END_TEXTS[job.state] && announce) {
            const name = row.querySelector("a").textContent;
            sayEnd(announce, END_TEXTS[job.state].replace(/ –.*$/, "") + ": " + name + ".", job.state === "done");
          }
        });
        if (!open) return;
      }
    })();
  }

  async function loadOutputs(card) {
    const docs = card.querySelector(".job-docs");
    const list = docs.querySelector("ul.documents");
    let result;
    try { result = await api("GET", "/api/jobs/" + card.getAttribute("data-job-id") + "/outputs"); } catch (e) { return; }
    if (!result.ok) return;
    list.textContent = "";
    if (!result.data.length) list.appendChild(el("li", "muted", "Keine Dokumente verfügbar."));
    result.data.forEach(function (doc) {
      const item = el("li");
      const link = el("a", "", doc.label);
      link.href = doc.url;
      link.setAttribute("download", "");
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", "muted", "(" + sizeDe(doc.size_bytes) + ")"));
      list.appendChild(item);
    });
    docs.hidden = false;
  }

  async function poll(card) {
    const id = card.getAttribute("data-job-id");
    let failures = 0;
    for (;;) {
      await sleep(POLL_MS);
      let result;
      try {
        result = await api("GET", "/api/jobs/" + id);
      } catch (e) {
        failures += 1;
        if (failures > 30) return;
        continue;
      }
      if (!result.ok) {
        if (result.status === 401 || result.status === 404) {
          const stage = card.querySelector(".job-stage");
          stage.textContent = detail(result, "Der Stand ist nicht abrufbar.");
          return;
        }
        continue;
      }
      failures = 0;
      applyState(card, result.data);
      if (result.data.transcript_ready && card.getAttribute("data-transcript") !== "ja") {
        card.setAttribute("data-transcript", "ja");  // the transcript first, the minutes later
        await loadOutputs(card);
      }
      if (ACTIVE.indexOf(result.data.state) < 0) {
        if (result.data.state === "done") await loadOutputs(card);
        announceEnd(card, result.data.state);
        updateBusyNote();
        return;
      }
    }
  }

  function anyActive() {
    return Array.prototype.some.call(document.querySelectorAll("[data-job-id]"), function (card) {
      return ACTIVE.indexOf(card.getAttribute("data-state")) >= 0;
    });
  }

  function updateBusyNote() {
    const note = document.getElementById("busy-note");
    const active = anyActive();
    if (note) note.hidden = !active;
    const startForm = document.getElementById("start-form");
    const startBusy = document.getElementById("start-busy");
    const recordings = document.querySelectorAll("#recordings li.recording").length;
    if (startForm) startForm.hidden = active || !recordings;
    if (startBusy) startBusy.hidden = !active;
    // retry and re-run of the other jobs: only while none of the meeting's jobs is active
    document.querySelectorAll("[data-job-id]").forEach(function (card) {
      const state = card.getAttribute("data-state");
      card.querySelectorAll("form[data-states]").forEach(function (f) {
        const fits = f.getAttribute("data-states").split(" ").indexOf(state) >= 0;
        f.hidden = !fits || (active && ACTIVE.indexOf(state) < 0 && f.getAttribute("data-states").indexOf("queued") < 0);
      });
    });
  }

  function initJobs() {
    document.querySelectorAll("[data-job-id]").forEach(function (card) {
      if (ACTIVE.indexOf(card.getAttribute("data-state")) >= 0) poll(card);
    });
  }

  // ---- review: the transcript editor and the player are in review.js (loaded by the
  // review page only) ----------------------------------------------------------------------

  function initReview() { /* nothing here: see review.js */ }

  // ---- small helpers -------------------------------------------------------------------

  function initSelectOnFocus() {
    document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("upload-form");
    if (form) initUpload(form);
    initJobs();
    initSelectOnFocus();
    initReview();
    initQueue();
  });
})();
