// protokoll review page: the transcript editor (in the manner of noScribe / oTranscribe).
// The audio and the transcript in sync (the current line and word are highlighted),
// corrections of a segment's text in place (each one a new version, through the JSON API),
// keyboard shortcuts for the player, a search, and playback of a sentence's sources and
// of a few seconds per speaker. No inline scripts (the app sends a strict CSP).
"use strict";

(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const CSRF = meta ? meta.getAttribute("content") || "" : "";
  const RATE_MIN = 0.5;
  const RATE_MAX = 2.0;
  const RATE_STEP = 0.1;
  const JUMP_S = 5;

  function numDe(value, digits) {
    return value.toFixed(digits).replace(".", ",");
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function parseRanges(text) {
    return (text || "").split(/\s+/).filter(Boolean).map(function (part) {
      const bounds = part.split("-");
      return [parseFloat(bounds[0]), parseFloat(bounds[1])];
    }).filter(function (r) { return !isNaN(r[0]) && !isNaN(r[1]); });
  }

  function initReview() {
    const pane = document.getElementById("transcript-pane");
    if (!pane) return;
    const player = document.getElementById("player");
    const follow = document.getElementById("follow");
    const status = document.getElementById("transcript-status");
    const meetingId = pane.getAttribute("data-meeting-id");
    const editable = pane.getAttribute("data-editable") === "ja";
    const uncertainBelow = parseFloat(pane.getAttribute("data-uncertain-below") || "0.5");
    let version = parseInt(pane.getAttribute("data-version"), 10);
    const lines = Array.prototype.slice.call(document.querySelectorAll("#transcript .line"));
    const state = { line: null, word: null, ranges: null, rangeIndex: 0, frame: 0 };

    function say(text, kind) {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("is-error", kind === "error");
      status.classList.toggle("is-ok", kind === "ok");
    }

    // ---- the player ---------------------------------------------------------------------

    function play() {
      if (!player) return;
      const playing = player.play();
      if (playing && playing.catch) playing.catch(function () { /* autoplay refused */ });
    }

    function seek(seconds, keepRanges) {
      if (!player) return;
      if (!keepRanges) state.ranges = null;
      player.currentTime = Math.max(0, seconds);
      highlight();
    }

    function playRanges(ranges) {
      if (!player || !ranges.length) return;
      seek(ranges[0][0]);
      state.ranges = ranges;
      state.rangeIndex = 0;
      play();
    }

    // a sentence's sources and a speaker's sample play until their end
    function checkRanges() {
      if (!state.ranges) return;
      const range = state.ranges[state.rangeIndex];
      if (player.currentTime < range[1] - 0.02) return;
      state.rangeIndex += 1;
      if (state.rangeIndex < state.ranges.length) {
        seek(state.ranges[state.rangeIndex][0], true);
      } else {
        state.ranges = null;
        player.pause();
      }
    }

    function setRate(rate) {
      if (!player) return;
      const value = Math.round(Math.min(RATE_MAX, Math.max(RATE_MIN, rate)) * 10) / 10;
      player.playbackRate = value;
      const output = document.getElementById("rate");
      if (output) output.textContent = "Tempo " + numDe(value, 1) + "-fach";
    }

    function toggle() {
      if (!player) return;
      if (player.paused) play(); else player.pause();
    }

    if (player) {
      const tools = document.getElementById("player-tools");
      if (tools) tools.hidden = false;
      const shortcuts = document.getElementById("shortcuts");
      if (shortcuts) shortcuts.hidden = false;
      const toggleButton = document.getElementById("play-toggle");
      const bind = function (id, action) {
        const button = document.getElementById(id);
        if (button) button.addEventListener("click", action);
      };
      bind("play-toggle", toggle);
      bind("back-5", function () { seek(player.currentTime - JUMP_S); });
      bind("slower", function () { setRate(player.playbackRate - RATE_STEP); });
      bind("faster", function () { setRate(player.playbackRate + RATE_STEP); });
      const showPlaying = function () {
        if (toggleButton) toggleButton.textContent = player.paused ? "Wiedergabe" : "Pause";
      };
      player.addEventListener("play", function () { showPlaying(); loop(); });
      player.addEventListener("pause", showPlaying);
      player.addEventListener("timeupdate", function () { checkRanges(); highlight(); });
      player.addEventListener("seeked", highlight);
      player.addEventListener("ratechange", function () { setRate(player.playbackRate); });
    }

    // while playing, the current word is followed more often than timeupdate fires
    function loop() {
      if (state.frame) return;
      const step = function () {
        state.frame = 0;
        if (!player || player.paused || player.ended) return;
        checkRanges();
        highlight();
        state.frame = window.requestAnimationFrame(step);
      };
      state.frame = window.requestAnimationFrame(step);
    }

    // keyboard shortcuts: they work while typing too, so none of them types a character
    document.addEventListener("keydown", function (event) {
      if (!player || event.defaultPrevented) return;
      const key = event.key;
      let handled = true;
      if ((key === "Escape" && !event.altKey && !event.ctrlKey && !event.metaKey) ||
          (event.ctrlKey && !event.altKey && (key === " " || event.code === "Space"))) {
        toggle();
      } else if (event.altKey && !event.ctrlKey && key === "ArrowLeft") {
        seek(player.currentTime - JUMP_S);
      } else if (event.altKey && !event.ctrlKey && key === "ArrowRight") {
        seek(player.currentTime + JUMP_S);
      } else if (event.altKey && !event.ctrlKey && key === "ArrowDown") {
        setRate(player.playbackRate - RATE_STEP);
      } else if (event.altKey && !event.ctrlKey && key === "ArrowUp") {
        setRate(player.playbackRate + RATE_STEP);
      } else {
        handled = false;
      }
      if (handled) event.preventDefault();
    }, true);

    // ---- the current line and word ------------------------------------------------------

    function start(node) { return parseFloat(node.getAttribute("data-start")); }

    // the lines in order of their start: the last one begun, if it has not ended half a
    // second ago (found by halving: a long session has thousands of lines)
    const starts = lines.map(start);
    const ends = lines.map(function (line) { return parseFloat(line.getAttribute("data-end")); });

    function lineAt(t) {
      let lo = 0;
      let hi = lines.length - 1;
      let last = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid] <= t) { last = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      for (let i = last; i >= 0 && i > last - 3; i--) {
        if (t < ends[i] + 0.5) return lines[i];
      }
      return null;
    }

    function wordAt(line, t) {
      if (!line) return null;
      const words = line.querySelectorAll(".text .w");
      let found = null;
      for (let i = 0; i < words.length; i++) {
        if (parseFloat(words[i].getAttribute("data-s")) > t + 0.01) break;
        found = words[i];
      }
      return found;
    }

    function highlight() {
      if (!player) return;
      const t = player.currentTime;
      const line = lineAt(t);
      if (line !== state.line) {
        if (state.line) { state.line.classList.remove("current"); state.line.removeAttribute("aria-current"); }
        state.line = line;
        if (line) {
          line.classList.add("current");
          line.setAttribute("aria-current", "true");
          if ((!follow || follow.checked) && !line.querySelector("textarea")) {
            line.scrollIntoView({ block: "nearest" });
          }
        }
      }
      const word = wordAt(line, t);
      if (word !== state.word) {
        if (state.word) state.word.classList.remove("word-current");
        state.word = word;
        if (word) word.classList.add("word-current");
      }
    }

    document.querySelectorAll("[data-seek]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.stopPropagation();
        seek(parseFloat(button.getAttribute("data-seek")));
        play();
      });
    });
    document.querySelectorAll("[data-ranges]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.stopPropagation();
        playRanges(parseRanges(button.getAttribute("data-ranges")));
      });
    });
    lines.forEach(function (line) {
      line.addEventListener("click", function (event) {
        if (event.target.closest("textarea, .editor-actions, a")) return;
        const text = line.querySelector(".text");
        seek(start(line));
        if (editable && text && text.contains(event.target)) {
          // correcting: the player waits at the line (Strg+Leertaste plays); starting it
          // while someone types distracts (walk-through of #17)
          openEditor(line);
          return;
        }
        play();
      });
    });

    // ---- correcting a segment -----------------------------------------------------------

    function currentText(line) {
      const text = line.querySelector(".text");
      return text ? text.textContent.replace(/\s+/g, " ").trim() : "";
    }

    function fillWords(span, segment) {
      span.textContent = "";
      if (!segment.words.length) { span.textContent = segment.text; return; }
      segment.words.forEach(function (word, i) {
        const node = el("span", "w", word.text);
        node.setAttribute("data-s", word.start_s.toFixed(2));
        node.setAttribute("data-e", word.end_s.toFixed(2));
        if (word.probability < uncertainBelow) {
          node.classList.add("uncertain");
          node.title = "unsicher erkannt (" + Math.round(word.probability * 100) + " %)";
        }
        if (i > 0 && word.space) span.appendChild(document.createTextNode(" "));
        span.appendChild(node);
      });
    }

    function newVersion(number) {
      version = number;
      pane.setAttribute("data-version", String(number));
      const current = document.getElementById("current-version");
      if (current) current.textContent = String(number);
      const draft = document.getElementById("draft-version");
      if (draft) draft.textContent = String(number);
      // the other forms of the page are based on the new version now
      document.querySelectorAll('input[name="base"]').forEach(function (input) { input.value = String(number); });
      const word = document.getElementById("word-download");
      if (word) {
        word.href = word.href.replace(/\/versions\/\d+\//, "/versions/" + number + "/");
        word.textContent = "Fassung " + number + " als Word-Dokument herunterladen";
      }
    }

    function openEditor(line) {
      if (line.querySelector("textarea")) return;
      const text = line.querySelector(".text");
      const clock = line.querySelector(".seek").textContent.trim();
      const original = currentText(line);
      const area = el("textarea", "segment-editor");
      area.value = original;
      area.rows = Math.min(12, Math.max(2, Math.ceil(original.length / 60)));
      area.setAttribute("aria-label", "Text ab " + clock + " korrigieren");
      area.setAttribute("maxlength", "20000");
      const actions = el("span", "editor-actions");
      const save = el("button", "button button-primary", "Speichern");
      save.type = "button";
      save.setAttribute("aria-label", "Korrektur ab " + clock + " speichern");
      const cancel = el("button", "button button-quiet", "Abbrechen");
      cancel.type = "button";
      actions.appendChild(save);
      actions.appendChild(cancel);
      text.hidden = true;
      text.after(area, actions);
      area.focus();

      function close() {
        area.remove();
        actions.remove();
        text.hidden = false;
        text.focus();
      }

      async function submit() {
        const value = area.value.replace(/\s+/g, " ").trim();
        if (value === original) { close(); return; }
        save.disabled = true;
        say("Wird gespeichert …");
        let response;
        let data = null;
        try {
          response = await fetch("/api/meetings/" + meetingId + "/transcript/segments/" + line.getAttribute("data-index"), {
            method: "PUT",
            credentials: "same-origin",
            headers: { "Accept": "application/json", "Content-Type": "application/json", "X-CSRF-Token": CSRF },
            body: JSON.stringify({ base: version, text: area.value }),
          });
          try { data = await response.json(); } catch (e) { data = null; }
        } catch (e) {
          save.disabled = false;
          say("Keine Verbindung zum Server. Die Korrektur ist nicht gespeichert; bitte erneut versuchen.", "error");
          return;
        }
        save.disabled = false;
        if (!response.ok) {
          let message = data && typeof data.detail === "string" ? data.detail : "Die Korrektur wurde nicht gespeichert.";
          if (response.status === 409) message += " Ihr Text bleibt im Feld, bis Sie die Seite neu laden.";
          say(message, "error");
          area.focus();
          return;
        }
        fillWords(text, data.segment);
        line.classList.toggle("edited", data.segment.edited);
        let mark = line.querySelector(".edited-mark");
        if (data.segment.edited && !mark) {
          mark = el("span", "edited-mark small", "(korrigiert)");
          actions.after(mark);
        } else if (!data.segment.edited && mark) {
          mark.remove();
        }
        newVersion(data.version.number);
        close();
        state.word = null;
        highlight();
        say("Die Korrektur wurde als Fassung " + data.version.number + " gespeichert.", "ok");
      }

      save.addEventListener("click", function (event) { event.stopPropagation(); submit(); });
      cancel.addEventListener("click", function (event) { event.stopPropagation(); close(); });
      area.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          submit();
        }
      });
      area.addEventListener("click", function (event) { event.stopPropagation(); });
    }

    if (editable) {
      // the links to the page without script would be one Tab stop per line
      document.querySelectorAll("#transcript .edit-link").forEach(function (link) { link.remove(); });
      lines.forEach(function (line) {
        const text = line.querySelector(".text");
        if (!text) return;
        text.addEventListener("keydown", function (event) {
          if (event.target !== text) return;
          if (event.key === "Enter" || event.key === "F2") {
            event.preventDefault();
            openEditor(line);
          }
        });
      });
      window.addEventListener("beforeunload", function (event) {
        const dirty = Array.prototype.some.call(document.querySelectorAll("#transcript textarea"), function (area) {
          return area.value.replace(/\s+/g, " ").trim() !== currentText(area.closest(".line"));
        });
        if (dirty) { event.preventDefault(); event.returnValue = ""; }
      });
    }

    // ---- search -------------------------------------------------------------------------

    const search = document.getElementById("search");
    const box = document.getElementById("transcript-search");
    if (search && box) {
      box.hidden = false;
      const count = document.getElementById("search-count");
      const found = { hits: [], at: -1 };

      function clear() {
        document.querySelectorAll("#transcript .hit").forEach(function (node) {
          node.classList.remove("hit", "hit-current");
        });
        found.hits = [];
        found.at = -1;
      }

      function find() {
        clear();
        const query = search.value.replace(/\s+/g, " ").trim().toLowerCase();
        if (!query) { count.textContent = ""; return; }
        lines.forEach(function (line) {
          const text = line.querySelector(".text");
          if (!text) return;
          // the line's text as shown, and where each word lies in it
          let joined = "";
          let parts = [];
          let offsets = [];
          text.childNodes.forEach(function (node) {
            const part = node.textContent.replace(/\s+/g, " ").toLowerCase();
            if (node.nodeType === 1 && node.classList.contains("w")) {
              parts.push(node);
              offsets.push([joined.length, joined.length + part.length]);
            }
            joined += part;
          });
          if (!parts.length) { parts = [text]; offsets = [[0, joined.length]]; }
          let from = joined.indexOf(query);
          while (from >= 0) {
            const to = from + query.length;
            const hit = parts.filter(function (part, i) { return offsets[i][0] < to && from < offsets[i][1]; });
            hit.forEach(function (node) { node.classList.add("hit"); });
            found.hits.push(hit);
            from = joined.indexOf(query, to);
          }
        });
        count.textContent = found.hits.length ? found.hits.length + " Treffer" : "Kein Treffer";
        if (found.hits.length) go(0);
      }

      function go(index) {
        if (!found.hits.length) return;
        if (found.at >= 0) found.hits[found.at].forEach(function (node) { node.classList.remove("hit-current"); });
        found.at = (index + found.hits.length) % found.hits.length;
        const hit = found.hits[found.at];
        hit.forEach(function (node) { node.classList.add("hit-current"); });
        hit[0].scrollIntoView({ block: "center" });
        count.textContent = "Treffer " + (found.at + 1) + " von " + found.hits.length;
      }

      let timer = 0;
      search.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(find, 200);
      });
      search.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        event.preventDefault();
        window.clearTimeout(timer);
        if (!found.hits.length || found.at < 0) { find(); return; }
        go(found.at + (event.shiftKey ? -1 : 1));
      });
      document.getElementById("search-next").addEventListener("click", function () {
        if (found.at < 0) find(); else go(found.at + 1);
      });
      document.getElementById("search-prev").addEventListener("click", function () {
        if (found.at < 0) find(); else go(found.at - 1);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", initReview);
})();
