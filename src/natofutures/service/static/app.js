/* natofutures dashboard: sliders -> POST /api/simulate -> Plotly charts. No external requests. */
"use strict";

(function () {
  const API = "/api";
  const C = { // Okabe-Ito palette (colour-blind safe)
    blue: "#0072B2", orange: "#E69F00", green: "#009E73", red: "#D55E00",
    purple: "#CC79A7", sky: "#56B4E9", ink: "#1a1a1a", grey: "#6b6b6b",
  };
  const THEATRES = [
    ["europe", "Europe", C.blue],
    ["indo_pacific", "Indo-Pacific", C.orange],
    ["out_of_area", "Out of area", C.green],
  ];
  const pct1 = (v) => (v == null ? "–" : (100 * v).toFixed(1) + "%");
  const fix2 = (v) => (v == null ? "–" : Number(v).toFixed(2));

  // Sliders: each maps to one engine override path (defaults.yaml) or to the horizon.
  const SLIDERS = [
    { path: "us.resolve", label: "US resolve", min: 0, max: 1, step: 0.05, fmt: fix2, lever: true,
      help: "How far Europe believes a declared change of the US role (0 = not at all, 1 = fully)." },
    { path: "us.allocation.europe", label: "US share of power kept in Europe", min: 0, max: 0.5,
      step: 0.01, fmt: (v) => (100 * v).toFixed(0) + "%", lever: true,
      help: "Target share of US military power for Europe (about 25% today)." },
    { path: "intentions.scale.RUS", label: "Russian intentions", min: 0, max: 1.5, step: 0.05,
      fmt: (v) => "×" + v.toFixed(2), judgement: true,
      help: "Multiplier on Russia's aggressive intentions after 2024 (1 = today's level)." },
    { path: "intentions.scale.CHN", label: "Chinese intentions", min: 0, max: 1.5, step: 0.05,
      fmt: (v) => "×" + v.toFixed(2), judgement: true,
      help: "Multiplier on China's aggressive intentions after 2024 (1 = today's level)." },
    { path: "power.ppp_multiplier.RUS", label: "Russian purchasing power", min: 1, max: 4,
      step: 0.1, fmt: (v) => "×" + v.toFixed(1),
      help: "Military goods a rouble buys relative to the exchange rate (studies: 2.5–3.5)." },
    { path: "power.ppp_multiplier.CHN", label: "Chinese purchasing power", min: 1, max: 3,
      step: 0.1, fmt: (v) => "×" + v.toFixed(1),
      help: "Military goods a yuan buys relative to the exchange rate (studies: 1.5–2)." },
    { path: "burden.threat_response", label: "European responsiveness", min: 0, max: 0.2,
      step: 0.002, fmt: (v) => v.toFixed(3),
      help: "Extra defence spending, as a fraction of GDP, per unit of perceived threat (0.085 = 8.5 points of GDP per unit of the threat index); fitted on European allies 1990–2024." },
    { path: "economy.growth.default", label: "GDP growth", min: -0.01, max: 0.04, step: 0.001,
      fmt: (v) => (100 * v).toFixed(1) + "%/yr",
      help: "Real GDP growth of European allies without their own IMF rate." },
    { path: "horizon", label: "Horizon", min: 2030, max: 2060, step: 1, fmt: (v) => String(v),
      help: "Last simulated year." },
  ];

  const state = {
    a: "business_as_usual", b: "", overrides: {}, horizon: 2045, year: 2035,
    mapVar: "threat_RUS", det: { a: null, b: null }, mc: null, compare: null, robust: null,
    postures: {}, details: {}, params: {}, perspectives: [], limits: {}, geo: null,
  };
  // Read by benchmarks/service_load.py and the browser tests (all in ms, from the input event's
  // own timestamp): nfLatency = input -> every chart on screen finished drawing (Plotly's
  // promise resolved, i.e. after plotly_afterplot or the end of its transition);
  // nfFrameMs = input -> the next animation frame after that (the pixels are being painted);
  // nfFetchMs = input -> simulation results parsed.
  window.nfLatency = [];
  window.nfFrameMs = [];
  window.nfFetchMs = [];
  window.nfRenders = 0;

  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  // ------------------------------------------------------------------ HTTP
  function token() {
    const m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
    if (m) { sessionStorage.setItem("nfToken", decodeURIComponent(m[1])); }
    return sessionStorage.getItem("nfToken");
  }
  async function api(path, body, signal, method) {
    const headers = { Accept: "application/json" };
    const t = token();
    if (t) headers.Authorization = "Bearer " + t;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const resp = await fetch(API + path, {
      method: method || (body === undefined ? "GET" : "POST"), headers, signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!resp.ok) {
      let msg = resp.status + " " + resp.statusText;
      try { msg = (await resp.json()).detail || msg; } catch (e) { /* not JSON */ }
      if (resp.status === 401) msg += " — open the dashboard as …/#token=YOUR_TOKEN";
      throw new Error(msg);
    }
    return resp.json();
  }
  function scenarioBody(posture) {
    return { posture, overrides: { ...state.overrides } };
  }
  function setStatus(el, text, error) {
    el.textContent = text;
    el.classList.toggle("error", !!error);
  }

  // ------------------------------------------------------------------ sliders
  function sliderDefault(s, posture) {
    if (s.path === "horizon") return 2045;
    const d = state.details[posture];
    if (s.lever && d) {
      const lv = d.levers.find((l) => l.path === s.path);
      if (lv) return lv.value;
    }
    const p = state.params[s.path];
    return p && p.value != null ? p.value : (s.min + s.max) / 2;
  }
  function currentValue(s) {
    if (s.path === "horizon") return state.horizon;
    return s.path in state.overrides ? state.overrides[s.path] : sliderDefault(s, state.a);
  }
  function buildSliders() {
    const box = $("sliders");
    box.innerHTML = "";
    for (const s of SLIDERS) {
      // a (re)calibrated default outside the slider's span widens the span, never clamps it
      for (const name of s.path === "horizon" ? [] : Object.keys(state.details)) {
        const d = sliderDefault(s, name);
        if (d > s.max) s.max = Number((Math.ceil(d / s.step) * s.step).toFixed(6));
        if (d < s.min) s.min = Number((Math.floor(d / s.step) * s.step).toFixed(6));
      }
      const id = "s-" + s.path.replace(/\./g, "-");
      const p = state.params[s.path];
      const tags = (s.lever ? '<span class="tag">posture lever</span>' : "") +
        (s.judgement || (p && p.judgement) ? '<span class="tag">judgement</span>' : "");
      const div = document.createElement("div");
      div.className = "slider";
      div.innerHTML =
        `<div class="head"><label for="${id}">${esc(s.label)}${tags}</label><output id="${id}-out" for="${id}"></output></div>` +
        `<input type="range" id="${id}" data-path="${s.path}" min="${s.min}" max="${s.max}" step="${s.step}">` +
        `<p class="hint">${esc(s.help)}${p ? " Unit: " + esc(p.unit) + "." : ""}</p>`;
      box.appendChild(div);
      const input = div.querySelector("input");
      input.addEventListener("input", (ev) => {
        const t0 = Math.min(ev.timeStamp, performance.now());
        const v = Number(ev.target.value);
        if (s.path === "horizon") {
          state.horizon = v;
        } else {
          state.overrides[s.path] = v;
        }
        schedule(t0); // the request leaves now; the labels are updated while it runs
        syncSliders();
      });
    }
    syncSliders();
  }
  function syncSliders() {
    for (const s of SLIDERS) {
      const id = "s-" + s.path.replace(/\./g, "-");
      const input = $(id);
      const v = currentValue(s);
      if (Number(input.value) !== v) input.value = v;
      const out = $(id + "-out");
      let text = s.fmt(v);
      const changed = s.path === "horizon" ? state.horizon !== 2045 : s.path in state.overrides;
      if (s.lever && !changed && state.b) {
        text = s.fmt(sliderDefault(s, state.a)) + " / " + s.fmt(sliderDefault(s, state.b));
      }
      out.textContent = text;
      out.classList.toggle("changed", changed);
      out.title = changed ? "changed from the posture's value" : "posture / default value";
    }
    const changed = Object.keys(state.overrides).length + (state.horizon !== 2045 ? 1 : 0);
    $("sliders-changed").textContent = changed ? `${changed} changed` : "";
    const yr = $("year");
    yr.max = state.horizon;
    if (state.year > state.horizon) state.year = state.horizon;
    yr.value = state.year;
    $("year-out").textContent = state.year;
  }

  // ------------------------------------------------------------------ URL state
  function writeUrl() {
    const q = new URLSearchParams();
    q.set("a", state.a);
    if (state.b) q.set("b", state.b);
    if (state.horizon !== 2045) q.set("horizon", state.horizon);
    q.set("year", state.year);
    q.set("map", state.mapVar);
    for (const [k, v] of Object.entries(state.overrides)) q.set(k, v);
    history.replaceState(null, "", "?" + q.toString() + location.hash);
  }
  function readUrl() {
    const q = new URLSearchParams(location.search);
    const names = Object.keys(state.postures);
    if (names.includes(q.get("a"))) state.a = q.get("a");
    if (names.includes(q.get("b")) && q.get("b") !== state.a) state.b = q.get("b");
    const hz = Number(q.get("horizon"));
    if (hz >= 2030 && hz <= state.maxHorizon) state.horizon = hz;
    const yr = Number(q.get("year"));
    if (yr >= 2024 && yr <= state.horizon) state.year = yr;
    if (["threat_RUS", "threat_CHN", "burden"].includes(q.get("map"))) state.mapVar = q.get("map");
    for (const s of SLIDERS) {
      if (s.path === "horizon" || !q.has(s.path)) continue;
      const v = Number(q.get(s.path));
      if (Number.isFinite(v) && v >= s.min && v <= s.max) state.overrides[s.path] = v;
    }
  }

  // ------------------------------------------------------------------ deterministic updates
  // Every input starts its request at once and aborts the one still in flight (the server
  // answers a central case in a few ms). Latency is counted from the oldest input whose result
  // is not yet on screen, so an aborted request never hides waiting time.
  let inflight = null, unservedT0 = null;
  function schedule(t0) {
    if (unservedT0 === null || t0 < unservedT0) unservedT0 = t0;
    update();
  }
  async function update() {
    const t0 = unservedT0 === null ? performance.now() : unservedT0;
    if (inflight) inflight.abort();
    if (mcTask) cancelMonteCarlo("Cancelled: a slider moved; the charts show the central case.");
    const ctl = new AbortController();
    inflight = ctl;
    try {
      // one request for both postures: the central case of each
      const postures = [state.a, state.b].filter(Boolean);
      const { results } = await api("/simulate/central",
        { scenarios: postures.map(scenarioBody), horizon: state.horizon }, ctl.signal);
      const [ra, rb] = [results[0], results[1] || null];
      if (ctl.signal.aborted) return;
      window.nfFetchMs.push(performance.now() - t0);
      state.det = { a: ra, b: rb };
      state.mc = null;
      $("clear-mc").hidden = true;
      setStatus($("status"), statusLine(ra, rb));
      await renderAll(t0, () => ctl.signal.aborted);
    } catch (err) {
      if (err.name === "AbortError") return;
      unservedT0 = null; // nothing will be drawn for these inputs
      setStatus($("status"), "Error: " + err.message, true);
    } finally {
      if (inflight === ctl) inflight = null;
    }
  }
  function statusLine(ra, rb) {
    const kind = ra.deterministic ? "Central case (deterministic)" : `Monte Carlo: ${ra.draws} draws, seed ${ra.seed} (median and 5–95% band)`;
    const ms = ra.elapsed_ms + (rb ? rb.elapsed_ms : 0);
    return `${kind} · ${state.postures[state.a].title}${rb ? " vs " + state.postures[state.b].title : ""} · 2024–${ra.years[ra.years.length - 1]} · server ${ms.toFixed(0)} ms`;
  }
  function results() {
    return state.mc || state.det;
  }

  // ------------------------------------------------------------------ charts
  const CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  // Phones and narrow windows (the CSS breakpoint): no mode bar (a tap would show it over the
  // title), titles and long axis titles wrapped onto lines that fit instead of being clipped,
  // legends below the plot so that they never collide with a wrapped title.
  const NARROW = window.matchMedia("(max-width: 760px)");
  const narrow = () => NARROW.matches;
  // A chart narrower than this gets the compact layout (legend below, no "Year" title, no
  // mode bar); wider ones show the mode bar upright at the right edge, clear of the title.
  const COMPACT_PX = 480;
  const compact = (id) => narrow() || (($(id) && $(id).clientWidth) || 0) < COMPACT_PX;
  function config(id) {
    return Object.assign({}, CONFIG, { displayModeBar: id && !compact(id) ? "hover" : false });
  }
  // Break `text` at spaces into lines of at most `chars` characters, joined with <br>.
  function wrap(text, chars) {
    const out = [];
    let line = "";
    for (const word of String(text).split(" ")) {
      if (line && (line + " " + word).length > chars) { out.push(line); line = word; } else line = line ? line + " " + word : word;
    }
    if (line) out.push(line);
    return out.join("<br>");
  }
  // Characters of a `size` px font that fit across the chart `id` (about 0.55 em per character).
  function fitChars(id, size, reserve) {
    const w = ($(id) && $(id).clientWidth) || 360;
    return Math.max(14, Math.floor((w - (reserve || 0)) / (0.55 * size)));
  }
  const titleLines = (text) => String(text).split("<br>").length;
  // Plotly draws a title of several lines from 12 px above its anchor: the padding keeps the
  // first line inside the chart (one line sits right at the top with 4 px).
  function titleSpec(text) {
    return { text, font: { size: 15 }, x: 0.02, xanchor: "left", y: 1, yref: "container",
      yanchor: "top", pad: { t: titleLines(text) > 1 ? 16 : 4 } };
  }
  // Titles wrap whenever the chart is too narrow for them (a phone, or the one-column chart
  // grid beside the controls between 760 and 1100 px).
  function fitTitle(id, text) {
    return wrap(text, fitChars(id, 15, 16));
  }
  // A slider move usually changes only the numbers of a chart, not its traces, titles, styles
  // or axis ranges (those are rounded out, below). Then Plotly's transition path
  // (layout.transition, duration 0) moves just the traces, without re-laying out axes, legend,
  // titles and shapes: 2-3x cheaper than a full redraw. Anything else (another posture, Monte
  // Carlo bands, the horizon, a re-sorted bar order, a new title, a moved axis range) gets a
  // full Plotly.react, which is then the cheaper of the two. A chart whose numbers did not
  // change is left alone.
  const drawn = {};
  const skipValues = (k, v) => (k === "y" || k === "range" ? undefined : v);
  function plot(id, data, layout) {
    const gd = $(id);
    const shape = JSON.stringify(data, skipValues) + JSON.stringify(layout, skipValues);
    const range = JSON.stringify(layout.yaxis && layout.yaxis.range);
    const values = JSON.stringify(data.map((t) => t.y));
    const last = drawn[id];
    if (last && gd.data && last.shape === shape && last.range === range) {
      if (last.values === values) return Promise.resolve(gd);
      // the previous objects with only the numbers replaced: Plotly then sees no other change
      // (it compares arrays by reference), so nothing but the traces redraw
      data = last.data.map((t, i) => Object.assign({}, t, { y: data[i].y }));
      layout = Object.assign({}, last.layout, { transition: { duration: 0 } });
    } else {
      delete layout.transition;
    }
    drawn[id] = { shape, range, values, data, layout };
    return Plotly.react(gd, data, layout, config(id));
  }
  function baseLayout(id, title, ytitle, extra) {
    const small = compact(id);
    const plotH = ($(id) && $(id).clientHeight) || 360;
    const text = fitTitle(id, title);
    return Object.assign({
      title: titleSpec(text),
      margin: small ? { l: 56, r: 10, t: titleLines(text) * 22 + 12, b: 40 } : { l: 64, r: 40, t: 56 + titleLines(text) * 22, b: 48 },
      font: { family: "system-ui, DejaVu Sans, sans-serif", size: 12, color: C.ink },
      paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
      xaxis: { title: { text: small ? "" : "Year" }, gridcolor: "#e3e6ea", linecolor: "#8a9099", automargin: true },
      yaxis: { title: { text: small ? wrap(ytitle, Math.floor((plotH - 150) / 6.6)) : ytitle, font: { size: 12 } }, gridcolor: "#e3e6ea", linecolor: "#8a9099", zeroline: false, automargin: true },
      legend: small
        ? { orientation: "h", x: 0, xanchor: "left", y: 0, yref: "container", yanchor: "bottom", font: { size: 11 } }
        : { orientation: "h", x: 0, xanchor: "left", y: 1.0, yanchor: "bottom", font: { size: 11 } },
      hovermode: "x unified",
      modebar: { orientation: "v" },
    }, extra || {});
  }
  function lines(res, key, name, color, dash, yfmt) {
    const band = res.series[key];
    const out = [];
    if (band.p05 && band.p95) {
      out.push({ x: res.years, y: band.p95, mode: "lines", line: { width: 0 }, hoverinfo: "skip", showlegend: false, legendgroup: name });
      out.push({ x: res.years, y: band.p05, mode: "lines", line: { width: 0 }, fill: "tonexty",
        fillcolor: hexA(color, dash ? 0.12 : 0.2), hoverinfo: "skip", showlegend: false, legendgroup: name });
    }
    out.push({ x: res.years, y: band.median, mode: "lines", name, legendgroup: name,
      line: { color, width: 2.4, dash: dash ? "dash" : "solid" },
      hovertemplate: "%{y:" + yfmt + "}<extra>" + esc(name) + "</extra>" });
    return out;
  }
  function hexA(hex, a) {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${a})`;
  }
  function each(fn) {
    // posture A solid, posture B dashed; the legend names series once and keys the line styles
    const r = results();
    const out = [];
    for (const [which, res] of [["a", r.a], ["b", r.b]]) {
      if (!res) continue;
      const traces = fn(res, which === "b", "");
      for (const t of traces) {
        if (which === "b") { t.showlegend = false; t.legendgroup = (t.legendgroup || "") + "-b"; }
        if (t.hovertemplate) t.hovertemplate = t.hovertemplate.replace("</extra>", " · " + esc(state.postures[res.posture].short) + "</extra>");
      }
      out.push(...traces);
    }
    if (r.b) {
      for (const [res, dash] of [[r.a, "solid"], [r.b, "dash"]]) {
        out.push({ x: [null], y: [null], mode: "lines", name: state.postures[res.posture].short,
          line: { color: C.ink, width: 2, dash }, hoverinfo: "skip" });
      }
    }
    return out;
  }
  // Axis ranges are set here, rounded out to round steps, so that most slider moves leave the
  // axes alone (a moved axis costs a full redraw).
  function values(data) {
    return data.flatMap((t) => (t.y || []).filter((v) => v != null && Number.isFinite(v)));
  }
  function linearRange(vals, minTop, cap) {
    let top = 1.04 * Math.max(minTop, ...vals);
    const step = Math.pow(10, Math.floor(Math.log10(top))) / 2;
    top = Math.ceil(top / step - 1e-9) * step;
    return [0, cap !== undefined ? Math.min(cap, top) : top];
  }
  function logRange(vals) {
    const pos = vals.filter((v) => v > 0);
    const lo = Math.log10(Math.min(1, ...pos)), hi = Math.log10(Math.max(1, ...pos));
    return [Math.floor(4 * lo - 0.2) / 4, Math.ceil(4 * hi + 0.2) / 4]; // quarter decades
  }
  function refLine(y, text) {
    return { type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y, line: { color: C.grey, width: 1, dash: "dot" },
      label: { text, textposition: "end", font: { size: 10, color: C.grey } } };
  }

  function chartBurden() {
    const data = each((res, dashed, sfx) => [
      ...lines(res, "europe_burden", "European allies" + sfx, C.blue, dashed, ".2%"),
      ...lines(res, "us_burden", "United States" + sfx, C.red, dashed, ".2%"),
    ]);
    const layout = baseLayout("chart-burden", "Defence burden: Europe and the US", "Defence spending (% of GDP)", {
      shapes: [refLine(0.02, "2% guideline"), refLine(0.035, "3.5% pledge")],
    });
    layout.yaxis.tickformat = ".1%";
    layout.yaxis.range = linearRange(values(data), 0.04); // keeps the 3.5% pledge line in view
    return plot("chart-burden", data, layout);
  }
  function chartBalance() {
    const data = each((res, dashed, sfx) => THEATRES.flatMap(([t, label, col]) =>
      lines(res, "balance_" + t, label + sfx, col, dashed, ".2f")));
    const layout = baseLayout("chart-balance", "Theatre balances", "Power ratio, coalition / adversary (log)", {
      shapes: [refLine(1, "parity")],
    });
    layout.yaxis.type = "log";
    layout.yaxis.tickvals = [0.125, 0.25, 0.5, 1, 2, 4, 8, 16];
    layout.yaxis.ticktext = ["⅛", "¼", "½", "1", "2", "4", "8", "16"];
    layout.yaxis.range = logRange(values(data));
    return plot("chart-balance", data, layout);
  }
  function chartRisk() {
    const data = each((res, dashed, sfx) => THEATRES.flatMap(([t, label, col]) =>
      lines(res, "cumulative_risk_" + t, label + sfx, col, dashed, ".1%")));
    const layout = baseLayout("chart-risk", "Deterrence risk over time", "Probability of war by that year (%)");
    layout.yaxis.tickformat = ".0%";
    layout.yaxis.range = linearRange(values(data), 0.01, 1);
    return plot("chart-risk", data, layout);
  }
  function allyList(res) {
    return res.countries.filter((c) => c.role === "ally");
  }
  function chartAllies() {
    const r = results();
    const k = r.a.years.indexOf(state.year);
    const allies = allyList(r.a);
    const va = (c) => r.a.by_country.burden[c.iso3][k];
    allies.sort((x, y) => (va(y) || 0) - (va(x) || 0));
    const data = [];
    for (const [res, col] of [[r.a, C.blue], [r.b, C.orange]]) {
      if (!res) continue;
      data.push({
        type: "bar", name: state.postures[res.posture].short, marker: { color: col },
        x: allies.map((c) => c.iso3), y: allies.map((c) => res.by_country.burden[c.iso3][k]),
        customdata: allies.map((c) => c.name),
        hovertemplate: "%{customdata}: %{y:.2%}<extra>" + esc(state.postures[res.posture].short) + "</extra>",
      });
    }
    const layout = baseLayout("chart-allies", `Defence burden by ally in ${state.year}`, "Defence spending (% of GDP)", {
      barmode: "group", bargap: 0.15, hovermode: "closest", showlegend: !!r.b,
      shapes: [refLine(0.02, "2%"), refLine(0.035, "3.5%")],
    });
    layout.xaxis = { title: { text: "Ally (ISO 3166 code)" }, tickangle: -60, tickfont: { size: 10 }, linecolor: "#8a9099", automargin: true };
    layout.yaxis.tickformat = ".1%";
    layout.yaxis.range = linearRange(values(data), 0.04);
    layout.margin.b = 70;
    return plot("chart-allies", data, layout);
  }

  // Map: country polygons drawn as filled scatter traces (sinusoidal projection, 15°E).
  const COLORSCALE = [[0, "#fff7bc"], [0.25, "#fec44f"], [0.5, "#fb9a29"], [0.75, "#d95f0e"], [1, "#7f2704"]];
  function colourAt(t) {
    t = Math.max(0, Math.min(1, t));
    for (let i = 1; i < COLORSCALE.length; i++) {
      const [t1, c1] = COLORSCALE[i];
      const [t0, c0] = COLORSCALE[i - 1];
      if (t <= t1) {
        const f = (t - t0) / (t1 - t0);
        const a = parseInt(c0.slice(1), 16), b = parseInt(c1.slice(1), 16);
        const mix = (sh) => Math.round(((a >> sh) & 255) * (1 - f) + ((b >> sh) & 255) * f);
        return `rgb(${mix(16)},${mix(8)},${mix(0)})`;
      }
    }
    return COLORSCALE[COLORSCALE.length - 1][1];
  }
  let projected = null, mapDrawnVar = null;
  function projectGeo() {
    projected = state.geo.features.map((f) => {
      const xs = [], ys = [];
      for (const poly of f.geometry.coordinates) {
        const ring = poly[0];
        for (const [lon, lat] of ring) {
          xs.push((lon - 15) * Math.cos((lat * Math.PI) / 180));
          ys.push(lat);
        }
        xs.push(null); ys.push(null);
      }
      return { iso3: f.id, name: f.properties.name, xs, ys };
    });
  }
  // Adversaries are not coloured by the threat they pose (the index is what allies perceive
  // from them) nor by an allied burden: they get their own grey, keyed in the legend.
  const ADVERSARY_FILL = "#5b6470", MISSING_FILL = "#d9d9d9";
  function chartMap() {
    const res = results().a;
    const k = res.years.indexOf(state.year);
    const series = res.by_country[state.mapVar];
    const isBurden = state.mapVar === "burden";
    const vmax = isBurden ? 0.05 : 1.0;
    const label = { threat_RUS: "Threat from Russia", threat_CHN: "Threat from China", burden: "Defence burden" }[state.mapVar];
    const adversary = new Set(res.countries.filter((c) => c.role === "adversary").map((c) => c.iso3));
    const fills = [], names = [];
    for (const p of projected) {
      const v = series[p.iso3] ? series[p.iso3][k] : null;
      if (adversary.has(p.iso3)) {
        fills.push(ADVERSARY_FILL);
        names.push(`${p.name}: adversary (${isBurden ? "its burden is not an allied one" : "the threat is what the allies perceive from it"})`);
        continue;
      }
      const shown = v == null ? "not simulated" : isBurden ? (100 * v).toFixed(1) + "% of GDP" : v.toFixed(2);
      fills.push(v == null ? MISSING_FILL : colourAt(v / vmax));
      names.push(`${p.name}: ${shown}`);
    }
    const titleText = `${fitTitle("chart-map", label + " in " + state.year)}<br><span style="font-size:12px">${esc(state.postures[res.posture].title)}</span>`;
    const gd = $("chart-map");
    const n = projected.length;
    if (gd.data && gd.data.length === n + 3 && mapDrawnVar === state.mapVar + narrow()) {
      // only colours and labels change: a style update, much cheaper than redrawing outlines
      const idx = projected.map((_, i) => i);
      return Plotly.update(gd, { fillcolor: fills, name: names }, { "title.text": titleText }, idx);
    }
    mapDrawnVar = state.mapVar + narrow();
    const data = projected.map((p, i) => ({
      x: p.xs, y: p.ys, mode: "lines", fill: "toself", hoveron: "fills",
      fillcolor: fills[i], line: { color: "#ffffff", width: 0.7 }, name: names[i],
      hoverinfo: "name", showlegend: false,
    }));
    data.push({
      x: [null], y: [null], mode: "markers", hoverinfo: "skip", showlegend: false,
      marker: { size: 0, color: [0, vmax], cmin: 0, cmax: vmax, colorscale: COLORSCALE, showscale: true,
        colorbar: { title: { text: isBurden ? "% of GDP" : "index", side: "right" }, tickformat: isBurden ? ".0%" : ".1f", thickness: 14, len: 0.8 } },
    });
    for (const [name, colour] of [["adversary (not coloured)", ADVERSARY_FILL], ["not simulated", MISSING_FILL]]) {
      data.push({ x: [null], y: [null], mode: "markers", name, hoverinfo: "skip", showlegend: true,
        marker: { symbol: "square", size: 12, color: colour, line: { color: "#8a9099", width: 1 } } });
    }
    const layout = {
      title: titleSpec(titleText),
      margin: { l: 8, r: 8, t: titleLines(titleText) * 21 + 10, b: 8 }, paper_bgcolor: "#ffffff", plot_bgcolor: "#eef3f8",
      font: { family: "system-ui, DejaVu Sans, sans-serif", size: 12, color: C.ink },
      xaxis: { visible: false, range: [-28, 24], fixedrange: false },
      yaxis: { visible: false, range: [34, 71.5], scaleanchor: "x", scaleratio: 1 },
      legend: { orientation: "h", x: 0, xanchor: "left", y: 0, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.85)", font: { size: 11 } },
      hovermode: "closest", dragmode: "pan", modebar: { orientation: "v" },
    };
    return Plotly.react("chart-map", data, layout, config("chart-map"));
  }

  function renderDiff() {
    const box = $("diff");
    const r = results();
    if (!state.b || !r.b) {
      box.innerHTML = '<p class="hint">Choose a second posture to compare.</p>';
      return;
    }
    const A = state.details[state.a], B = state.details[state.b];
    const ta = state.postures[state.a].short, tb = state.postures[state.b].short;
    const lb = new Map(B.levers.map((l) => [l.path, l]));
    let html = `<h4>Levers that differ (${esc(ta)} vs ${esc(tb)})</h4><table><thead><tr><th>lever</th><th>${esc(ta)}</th><th>${esc(tb)}</th><th class="reason">why (${esc(ta)})</th><th class="reason">why (${esc(tb)})</th></tr></thead><tbody>`;
    let n = 0;
    for (const la of A.levers) {
      const lbb = lb.get(la.path);
      if (!lbb || la.value === lbb.value) continue;
      n++;
      // the value in force: a slider overrides the posture's value for both postures
      const slider = la.path in state.overrides ? state.overrides[la.path] : null;
      const cell = (v) => (slider == null ? fix2(v)
        : `<span class="in-force">${fix2(slider)}</span><span class="was">posture ${fix2(v)}</span>`);
      const over = slider == null ? "" : " · set by a slider for both";
      html += `<tr${slider == null ? "" : ' class="overridden"'}><td class="lever">${esc(la.path).replace(/([._])/g, "$1<wbr>")}<br><span class="hint">${esc(la.unit)}${over}</span></td><td class="num">${cell(la.value)}</td><td class="num">${cell(lbb.value)}</td><td class="reason">${esc(la.reason || "default value")}</td><td class="reason">${esc(lbb.reason || "default value")}</td></tr>`;
    }
    if (!n) html += '<tr><td colspan="5">Both postures set every lever alike.</td></tr>';
    html += "</tbody></table>";
    const last = r.a.years.length - 1, yr = r.a.years[last];
    const rows = [
      ["European burden", "europe_burden", pct1], ["US burden", "us_burden", pct1],
      ["Balance in Europe", "balance_europe", fix2], ["Balance in the Indo-Pacific", "balance_indo_pacific", fix2],
      ["War risk in Europe by " + yr, "cumulative_risk_europe", pct1],
      ["War risk in the Indo-Pacific by " + yr, "cumulative_risk_indo_pacific", pct1],
      ["US share of NATO power in Europe", "us_share_europe", pct1],
    ];
    html += `<h4>Outcomes in ${yr}</h4><table><thead><tr><th>outcome</th><th>${esc(ta)}</th><th>${esc(tb)}</th><th>difference</th></tr></thead><tbody>`;
    for (const [label, key, f] of rows) {
      const va = r.a.series[key].median[last], vb = r.b.series[key].median[last];
      const d = va == null || vb == null ? null : vb - va;
      const ds = d == null ? "–" : (d >= 0 ? "+" : "") + (f === pct1 ? (100 * d).toFixed(1) + " pts" : d.toFixed(2));
      html += `<tr><td>${esc(label)}</td><td class="num">${f(va)}</td><td class="num">${f(vb)}</td><td class="num">${ds}</td></tr>`;
    }
    box.innerHTML = html + "</tbody></table>";
  }

  // Charts on screen are redrawn first (that is what the reader sees; latency is measured
  // until every one of them has finished drawing); the others follow a moment later, one by
  // one, and are dropped if a newer update arrives.
  const CHARTS = { "chart-burden": chartBurden, "chart-balance": chartBalance, "chart-risk": chartRisk,
    "chart-allies": chartAllies, "chart-map": chartMap };
  const visible = new Set(Object.keys(CHARTS));
  if ("IntersectionObserver" in window) {
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (e.isIntersecting) {
          visible.add(e.target.id);
          if (stale.has(e.target.id)) { stale.delete(e.target.id); CHARTS[e.target.id](); }
        } else visible.delete(e.target.id);
      }
    });
    document.addEventListener("DOMContentLoaded", () => Object.keys(CHARTS).forEach((id) => io.observe($(id))));
    if (document.readyState !== "loading") Object.keys(CHARTS).forEach((id) => io.observe($(id)));
  }
  const stale = new Set();
  const REST_DELAY_MS = 120;
  let generation = 0;
  async function renderAll(t0, superseded) {
    const gen = ++generation;
    const first = Object.keys(CHARTS).filter((id) => visible.has(id) || !$(id).data);
    const rest = Object.keys(CHARTS).filter((id) => !first.includes(id));
    await Promise.all(first.map((id) => CHARTS[id]()));
    if (t0 !== undefined && !(superseded && superseded())) {
      const end = performance.now(); // every chart on screen has finished drawing
      window.nfLatency.push(end - t0);
      unservedT0 = null;
      requestAnimationFrame(() => setTimeout(() => window.nfFrameMs.push(performance.now() - t0), 0));
    }
    writeUrl(); // after drawing: a new URL makes the browser look up the page icon again
    renderDiff();
    for (const id of rest) stale.add(id);
    window.nfRenders += 1;
    // charts off screen follow a moment later, one per task, unless a newer update came
    // (while a slider is being dragged they would only hold up the next redraw)
    for (const id of rest) {
      await new Promise((r) => setTimeout(r, REST_DELAY_MS));
      if (gen !== generation) return;
      if (stale.delete(id)) await CHARTS[id]();
    }
  }
  function renderYearCharts() {
    return Promise.all([chartAllies(), chartMap()]);
  }

  // ------------------------------------------------------------------ background jobs
  // Monte Carlo and ranking run as server jobs (POST /api/jobs/...): the page polls their
  // progress, shows it as "Running… 40%" on a progress bar, and can cancel them (DELETE).
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const POLL_MS = 200;
  function deleteJob(id, keepalive) {
    const headers = {};
    const t = token();
    if (t) headers.Authorization = "Bearer " + t;
    return fetch(API + "/jobs/" + encodeURIComponent(id), { method: "DELETE", headers, keepalive: !!keepalive }).catch(() => null);
  }
  function showProgress(prefix, fraction, detail) {
    const pct = Math.max(0, Math.min(100, Math.floor(100 * fraction)));
    const bar = $(prefix + "-bar");
    bar.setAttribute("aria-valuenow", String(pct));
    bar.setAttribute("aria-valuetext", pct + "%" + (detail ? " — " + detail : ""));
    bar.firstElementChild.style.width = pct + "%";
    $(prefix + "-pct").textContent = "Running… " + pct + "%";
    $(prefix + "-detail").textContent = detail || "";
  }
  function busy(prefix, on) {
    $({ mc: "run-mc", cmp: "run-compare", rob: "run-robust" }[prefix]).disabled = on;
    $("cancel-" + prefix).hidden = !on;
    $(prefix + "-progress").hidden = !on;
    if (on) showProgress(prefix, 0, "starting");
  }
  // Start one job per body, poll until every one is done; resolves to their results.
  async function runJobs(task, kind, bodies, onProgress) {
    for (const body of bodies) {
      const job = await api("/jobs/" + kind, body);
      task.jobs.push(job.id);
      if (task.cancelled) { deleteJob(job.id); break; }
    }
    while (!task.cancelled) {
      const states = await Promise.all(task.jobs.map((id) => api("/jobs/" + encodeURIComponent(id))));
      if (task.cancelled) break;
      const failed = states.find((st) => st.status === "failed");
      if (failed) throw new Error(failed.error);
      if (states.some((st) => st.status === "cancelled")) throw new Error("the job was cancelled on the server");
      onProgress(states.reduce((sum, st) => sum + st.progress, 0) / states.length, states);
      if (states.every((st) => st.status === "done")) return states.map((st) => st.result);
      await sleep(POLL_MS);
    }
    const err = new Error("cancelled");
    err.name = "AbortError";
    throw err;
  }
  function cancelTask(task) {
    if (!task || task.cancelled) return;
    task.cancelled = true;
    for (const id of task.jobs) deleteJob(id);
  }
  function jobDetail(states, names) {
    if (states.length === 1) return states[0].status === "queued" ? "waiting for a free slot on the server" : states[0].message.replace(/_/g, " ");
    return states.map((st, i) => `${names[i]}: ${st.status === "done" ? "done" : st.status === "queued" ? "waiting" : Math.floor(100 * st.progress) + "%"}`).join(" · ");
  }
  window.addEventListener("pagehide", () => {
    for (const task of [mcTask, cmpTask, robTask]) if (task && !task.cancelled) for (const id of task.jobs) deleteJob(id, true);
  });

  // ------------------------------------------------------------------ Monte Carlo
  let mcTask = null;
  async function runMonteCarlo() {
    cancelTask(mcTask);
    const task = { jobs: [], cancelled: false };
    mcTask = task;
    const draws = Number($("draws").value);
    const seed = Math.max(0, Math.floor(Number($("seed").value) || 0));
    const postures = [state.a, state.b].filter(Boolean);
    const names = postures.map((p) => state.postures[p].short);
    const n = postures.length;
    const t = performance.now();
    busy("mc", true);
    setStatus($("mc-status"), `Running ${draws.toLocaleString("en")} draws × ${n} posture${n > 1 ? "s" : ""}…`);
    try {
      const bodies = postures.map((p) => ({ scenario: scenarioBody(p), draws, seed, horizon: state.horizon }));
      const [ra, rb] = await runJobs(task, "simulate", bodies,
        (f, states) => { if (mcTask === task) showProgress("mc", f, jobDetail(states, names)); });
      if (mcTask !== task) return;
      showProgress("mc", 1, "drawing the charts");
      state.mc = { a: ra, b: rb || null };
      $("clear-mc").hidden = false;
      setStatus($("status"), statusLine(ra, rb));
      await renderAll();
      const moved = revealCharts();
      setStatus($("mc-status"), `Done in ${((performance.now() - t) / 1000).toFixed(1)} s: the charts ${moved ? "(scrolled into view) " : ""}now show the median and a 5–95% band. Moving a slider returns to the central case.`);
    } catch (err) {
      if (err.name !== "AbortError" && mcTask === task) setStatus($("mc-status"), "Error: " + err.message, true);
    } finally {
      if (mcTask === task) { mcTask = null; busy("mc", false); }
    }
  }
  // The charts that a Monte Carlo run changed start with the burden chart: bring it into view
  // when the page was scrolled away from it (the button sits below the sliders); true if moved.
  function revealCharts() {
    const fig = $("chart-burden").closest("figure");
    const box = fig.getBoundingClientRect();
    if (box.top >= 0 && box.top < window.innerHeight - 80) return false;
    fig.scrollIntoView({ behavior: "smooth", block: "start" });
    return true;
  }
  function cancelMonteCarlo(reason) {
    const task = mcTask;
    if (!task) return;
    cancelTask(task);
    mcTask = null;
    busy("mc", false);
    setStatus($("mc-status"), reason || "Cancelled.");
  }

  // ------------------------------------------------------------------ compare (scorecard, SMAA)
  let cmpTask = null;
  async function runCompare() {
    cancelTask(cmpTask);
    const task = { jobs: [], cancelled: false };
    cmpTask = task;
    const draws = Number($("cmp-draws").value);
    busy("cmp", true);
    setStatus($("cmp-status"), `Simulating ${Object.keys(state.postures).length} postures × ${draws} draws, ranking under ${state.perspectives.length} perspectives…`);
    try {
      const body = {
        scenarios: Object.keys(state.postures).map((p) => ({ posture: p, overrides: { ...state.overrides } })),
        draws, seed: Math.max(0, Math.floor(Number($("seed").value) || 0)), horizon: state.horizon,
        smaa_samples: 20000,
      };
      const [res] = await runJobs(task, "compare", [body],
        (f, states) => { if (cmpTask === task) showProgress("cmp", f, jobDetail(states, ["ranking"])); });
      if (cmpTask !== task) return;
      state.compare = res;
      setStatus($("cmp-status"), `Done in ${(res.elapsed_ms / 1000).toFixed(1)} s (run ${res.run.run_id || ""}).`);
      fillAttributionPostures(res);
      await Promise.all([chartScorecard(), chartSmaa(), chartAttribution()]);
    } catch (err) {
      if (err.name !== "AbortError" && cmpTask === task) setStatus($("cmp-status"), "Error: " + err.message, true);
    } finally {
      if (cmpTask === task) { cmpTask = null; busy("cmp", false); }
    }
  }
  function cancelCompare() {
    const task = cmpTask;
    if (!task) return;
    cancelTask(task);
    cmpTask = null;
    busy("cmp", false);
    setStatus($("cmp-status"), "Cancelled.");
  }
  function emptyChart(id, title, note) {
    return Plotly.react(id, [], {
      title: { text: title, font: { size: 15 }, x: 0.02, xanchor: "left" },
      xaxis: { visible: false }, yaxis: { visible: false }, margin: { l: 10, r: 10, t: 44, b: 10 },
      annotations: [{ text: note, showarrow: false, font: { size: 13, color: C.grey }, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }],
    }, config());
  }
  // A criterion's unit as a short suffix for a cell ("%", " pp", " tn$"); "" for indices.
  function unitSuffix(unit) {
    const u = String(unit || "");
    if (u.startsWith("%")) return "%";
    if (u.startsWith("pp")) return " pp";
    if (u.startsWith("trillion")) return " tn$";
    if (u.startsWith("expected crises")) return " crises";
    return "";
  }
  function cellNumber(v) {
    return v == null ? "–" : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  }
  // Medians, relative scores (1 = best of the postures compared) and labels of the scorecard.
  function scorecardModel(cmp) {
    const crits = Object.keys(cmp.criteria_info);
    return crits.map((c) => {
      const info = cmp.criteria_info[c];
      const vals = cmp.postures.map((q) => cmp.criteria[q][c].median);
      const lo = Math.min(...vals), hi = Math.max(...vals);
      return {
        name: c, label: info.label, unit: info.unit, arrow: info.direction === "lower" ? "↓" : "↑",
        cells: cmp.postures.map((p) => {
          const x = cmp.criteria[p][c];
          let score = hi > lo ? (x.median - lo) / (hi - lo) : 0.5;
          if (info.direction === "lower") score = 1 - score;
          return { score, text: x.median == null ? "–" : cellNumber(x.median) + unitSuffix(info.unit),
            band: `${cellNumber(x.p05)}–${cellNumber(x.p95)}` };
        }),
      };
    });
  }
  const SCORE_COLOURS = [[0, "#f4a582"], [0.5, "#f7f7f7"], [1, "#92c5de"]];
  function scoreColour(t) {
    const [[, c0], [, c1], [, c2]] = SCORE_COLOURS;
    const mix = (x, y, f) => { const a = parseInt(x.slice(1), 16), b = parseInt(y.slice(1), 16);
      return "rgb(" + [16, 8, 0].map((sh) => Math.round(((a >> sh) & 255) * (1 - f) + ((b >> sh) & 255) * f)).join(",") + ")"; };
    return t <= 0.5 ? mix(c0, c1, t / 0.5) : mix(c1, c2, (t - 0.5) / 0.5);
  }
  // Narrow screens: the scorecard as a table, criteria as rows, so that nothing is squeezed.
  function scorecardTable(cmp, model) {
    const names = cmp.postures.map((p) => (state.postures[p] ? state.postures[p].short : p));
    let html = `<p class="table-title">Scorecard: median of each criterion, ${cmp.run.draws} draws to ${cmp.run.horizon}; below it the 90% band. Blue better, orange worse.</p><table><thead><tr><th scope="col">criterion</th>`;
    html += names.map((n) => `<th scope="col" class="num">${esc(n)}</th>`).join("") + "</tr></thead><tbody>";
    for (const row of model) {
      html += `<tr><th scope="row">${esc(row.label)} ${row.arrow}<span class="unit">${esc(row.unit)}</span></th>`;
      html += row.cells.map((c) => `<td class="num" style="background:${scoreColour(c.score)}">${esc(c.text)}<span class="band">${esc(c.band)}</span></td>`).join("");
      html += "</tr>";
    }
    return html + "</tbody></table>";
  }
  // 14 criteria need about 900 px as heatmap columns; a narrower box gets criteria as rows.
  function scorecardAsTable() {
    return $("chart-scorecard").closest("figure").clientWidth < 900;
  }
  function chartScorecard() {
    const cmp = state.compare;
    const box = $("scorecard-table"), gd = $("chart-scorecard");
    const small = scorecardAsTable();
    box.hidden = !(cmp && small);
    gd.hidden = !!(cmp && small);
    if (!cmp) return emptyChart("chart-scorecard", "Scorecard of the postures", "Press “Score and rank all postures”.");
    const model = scorecardModel(cmp);
    if (small) {
      box.innerHTML = scorecardTable(cmp, model);
      Plotly.purge(gd);
      return Promise.resolve();
    }
    box.innerHTML = "";
    const z = cmp.postures.map((_, i) => model.map((r) => r.cells[i].score));
    const text = cmp.postures.map((_, i) => model.map((r) => r.cells[i].text));
    const x = model.map((r) => `${r.label} ${r.arrow}` + (unitSuffix(r.unit) ? "" : ` (${r.unit})`));
    const y = cmp.postures.map((p) => (state.postures[p] ? state.postures[p].short : p));
    const custom = cmp.postures.map((p) => model.map((r) => `${cmp.criteria[p][r.name].median} ${r.unit} (90%: ${cmp.criteria[p][r.name].p05}–${cmp.criteria[p][r.name].p95})`));
    const data = [{
      type: "heatmap", z, x, y, text, texttemplate: "%{text}", textfont: { size: 11, color: C.ink },
      customdata: custom, hovertemplate: "%{y} · %{x}<br>%{customdata}<extra></extra>",
      colorscale: SCORE_COLOURS, zmin: 0, zmax: 1,
      colorbar: { title: { text: "relative score" }, tickvals: [0, 1], ticktext: ["worst", "best"], thickness: 14 },
      xgap: 2, ygap: 2,
    }];
    const layout = baseLayout("chart-scorecard", `Scorecard: median of each criterion, ${cmp.run.draws} draws to ${cmp.run.horizon}`, "Posture", { hovermode: "closest" });
    layout.xaxis = { title: { text: wrap("Criterion (↑ higher is better, ↓ lower is better)", fitChars("chart-scorecard", 12)) }, tickangle: -35, tickfont: { size: 10 }, automargin: true };
    layout.yaxis = { title: { text: "" }, automargin: true, autorange: "reversed" };
    layout.margin = { l: 10, r: 10, t: 44, b: 40 };
    return Plotly.react("chart-scorecard", data, layout, config("chart-scorecard"));
  }
  function chartSmaa() {
    const cmp = state.compare;
    if (!cmp) return emptyChart("chart-smaa", "Rank acceptability by perspective (SMAA)", "Press “Score and rank all postures”.");
    const pe = $("perspective").value in cmp.rankings ? $("perspective").value : Object.keys(cmp.rankings)[0];
    const n = cmp.postures.length;
    const tight = $("chart-smaa").clientWidth < 700;
    const shades = ["#08306b", "#2171b5", "#6baed6", "#c6dbef", "#deebf7", "#f7fbff", "#eeeeee", "#dddddd"];
    const data = [];
    for (let r = 0; r < n; r++) {
      data.push({
        type: "bar", name: ["1st", "2nd", "3rd"][r] || r + 1 + "th",
        x: cmp.postures.map((p) => { const t = state.postures[p] ? state.postures[p].short : p; return tight ? wrap(t, 9) : t; }),
        y: cmp.postures.map((p) => cmp.rankings[pe][p].rank_probabilities[r]),
        marker: { color: shades[r], line: { color: "#555", width: 0.5 } },
        hovertemplate: "%{x}: P(rank " + (r + 1) + ") = %{y:.0%}<extra></extra>",
      });
    }
    const label = (cmp.perspectives_info[pe] || {}).label || pe;
    const layout = baseLayout("chart-smaa", "Rank acceptability — " + label, "Probability of each rank", { barmode: "stack", hovermode: "closest" });
    layout.legend.traceorder = "normal";
    layout.legend.title = { text: "rank:" };
    layout.xaxis = { title: { text: tight ? "" : "Posture" }, automargin: true, tickangle: 0, tickfont: { size: tight ? 10 : 12 } };
    layout.yaxis.tickformat = ".0%";
    layout.yaxis.range = [0, 1];
    $("smaa-caption").textContent = "SMAA rank acceptability: probability that each posture ranks 1st, 2nd, … under this perspective's weights (sampled around them) and the uncertain outcomes. " + (cmp.summary[pe] || "");
    return Plotly.react("chart-smaa", data, layout, config("chart-smaa"));
  }

  // ------------------------------------------------------------------ attribution (issue #16)
  // For one posture: each criterion's central-case difference from business as usual, split
  // into lever groups (mechanisms) and what the posture file sets directly. Bars are in per
  // cent of the criterion's value scale, signed so that right is better for the posture.
  const SET = "set_by_posture";
  // one fixed colour per mechanism group (the two allocations far apart: blue and pink);
  // any other group takes the next spare colour
  const GROUP_COLOUR = {
    european_allocation: C.blue, us_allocation: C.purple, framing: C.orange,
    us_commitment: C.red, offshore_balancing: C.green, out_of_area: C.sky, shocks: "#8c6d31",
  };
  const SPARE_COLOURS = ["#3f3f3f", "#b8860b", "#7b3294"];
  const human = (s) => String(s).replace(/_/g, " ");
  // legend names of the attribution's players (analysis.attribution.MECHANISMS); any other
  // group is shown by its name
  const GROUP_LABELS = {
    us_commitment: "US commitment", us_allocation: "US allocation",
    european_allocation: "European allocation", offshore_balancing: "offshore balancing",
    framing: "framing", out_of_area: "out-of-area engagement", shocks: "shocks",
    set_by_posture: "set by posture",
  };
  const groupLabel = (g) => GROUP_LABELS[g] || human(g);
  const postureLabel = (p) => (state.postures[p] ? state.postures[p].short : human(p));
  const sig3 = (v) => (v == null ? "–" : String(Number(Number(v).toPrecision(3))));
  function attributedPostures(cmp) {
    const att = cmp.attribution || {};
    return cmp.postures.filter((p) => Object.values(att).some((per) => per[p]));
  }
  function fillAttributionPostures(cmp) {
    const sel = $("attr-posture");
    const keep = sel.value;
    const names = attributedPostures(cmp);
    sel.innerHTML = "";
    for (const p of names) sel.add(new Option(postureLabel(p), p));
    sel.value = names.includes(keep) ? keep : names.includes(state.b) ? state.b : names.includes(state.a) ? state.a : names[0] || "";
  }
  function attributionModel(cmp, posture) {
    const crits = Object.keys(cmp.attribution).filter((c) => cmp.attribution[c][posture]);
    // colours are assigned over every posture's groups, so that a group keeps its colour
    // when the posture changes; only this posture's groups get a trace (and a legend entry)
    const all = [...new Set(Object.values(cmp.attribution)
      .flatMap((per) => Object.values(per).flatMap(Object.keys)))].filter((g) => g !== SET).sort();
    const present = new Set(crits.flatMap((c) => Object.keys(cmp.attribution[c][posture])));
    const spare = all.filter((g) => !GROUP_COLOUR[g]);
    const colour = Object.fromEntries(all.map((g) => [g, GROUP_COLOUR[g] || SPARE_COLOURS[spare.indexOf(g) % SPARE_COLOURS.length]]));
    const groups = all.filter((g) => present.has(g));
    groups.push(SET);
    const rows = crits.map((c) => {
      const info = cmp.criteria_info[c] || { label: human(c), unit: "" };
      const scale = (cmp.value_scales || {})[c] || { worst: 0, best: 1 };
      const span = scale.best - scale.worst;
      const flagged = ((cmp.assumptions || {})[c] || []).includes(posture);
      return { name: c, label: info.label, unit: info.unit, span, flagged, parts: cmp.attribution[c][posture] };
    });
    return { groups, colour, rows };
  }
  function chartAttribution() {
    const cmp = state.compare;
    const title = "Where the differences from business as usual come from";
    $("attr-assumptions").textContent = "";
    if (!cmp) return emptyChart("chart-attribution", title, "Press “Score and rank all postures”.");
    const posture = $("attr-posture").value;
    if (!posture) return emptyChart("chart-attribution", title, "Compare a posture other than business as usual.");
    const { groups, colour, rows } = attributionModel(cmp, posture);
    const small = compact("chart-attribution");
    const y = rows.map((r) => wrap(r.label + (r.flagged ? " ⚑" : ""), small ? 16 : 34));
    const what = (g) => {
      const i = (cmp.attribution_info || {})[g];
      const plain = (t) => String(t).replace(/[<>]/g, "");  // Plotly reads the rest as text
      return i ? `<br><i>${plain(i.levers)}</i>: ${plain(i.drives)}` : "";
    };
    const data = groups.map((g) => ({
      type: "bar", orientation: "h", name: groupLabel(g), y,
      x: rows.map((r) => (r.span ? (100 * (r.parts[g] || 0)) / r.span : 0)),
      customdata: rows.map((r) => `${sig3(r.parts[g] || 0)} ${r.unit}`),
      marker: g === SET ? { color: "#9a9a9a", pattern: { shape: "/", fgcolor: "#555", size: 6 } } : { color: colour[g] },
      hovertemplate: "%{y}<br><b>" + groupLabel(g) + "</b>: %{customdata} (%{x:.1f}% of the scale)" + what(g) + "<extra></extra>",
    }));
    const layout = baseLayout("chart-attribution", title + " — " + postureLabel(posture), "", { barmode: "relative", hovermode: "closest" });
    layout.legend.title = { text: "from:" };
    layout.legend.traceorder = "normal";
    const xtitle = small ? "% of each scale (→ better)" : "difference, % of the criterion's value scale (→ better for the posture)";
    layout.xaxis = { title: { text: xtitle }, zeroline: true, zerolinecolor: "#555", gridcolor: "#e3e6ea", ticksuffix: "%", automargin: true };
    layout.yaxis = { title: { text: "" }, automargin: true, autorange: "reversed", tickfont: { size: small ? 10 : 11 } };
    if (small) layout.margin.b = 96;
    const flagged = rows.filter((r) => r.flagged).map((r) => r.label);
    $("attr-assumptions").textContent = flagged.length
      ? `⚑ Assumptions for ${postureLabel(posture)}: ${flagged.join(", ")} — the posture sets these differences directly; they restate inputs, not results.`
      : `No criterion of ${postureLabel(posture)} differs only because the posture sets it.`;
    return Plotly.react("chart-attribution", data, layout, config("chart-attribution"));
  }

  // ------------------------------------------------------------------ what would you have to believe?
  let robTask = null;
  const RARE = 0.05;
  const pct0 = (v) => (100 * v).toFixed(0) + "%";
  async function runRobust() {
    cancelTask(robTask);
    const task = { jobs: [], cancelled: false };
    robTask = task;
    const samples = Number($("rob-samples").value);
    busy("rob", true);
    setStatus($("rob-status"), `Exploring ${samples} futures for ${Object.keys(state.postures).length} postures…`);
    try {
      const body = { samples, seed: Math.max(0, Math.floor(Number($("seed").value) || 0)), horizon: state.horizon };
      const [res] = await runJobs(task, "robust", [body],
        (f, states) => { if (robTask === task) showProgress("rob", f, jobDetail(states, ["exploring"])); });
      if (robTask !== task) return;
      state.robust = res;
      setStatus($("rob-status"), `Done in ${(res.elapsed_ms / 1000).toFixed(1)} s: ${res.run.samples} futures to ${res.run.horizon}, seed ${res.run.seed}.`);
      await chartRobust();
    } catch (err) {
      if (err.name !== "AbortError" && robTask === task) setStatus($("rob-status"), "Error: " + err.message, true);
    } finally {
      if (robTask === task) { robTask = null; busy("rob", false); }
    }
  }
  function cancelRobust() {
    const task = robTask;
    if (!task) return;
    cancelTask(task);
    robTask = null;
    busy("rob", false);
    setStatus($("rob-status"), "Cancelled.");
  }
  function criterionLabel(c) {
    const info = state.compare && state.compare.criteria_info[c];
    return info ? info.label : human(c);
  }
  // An ensemble column in words: weights, value-scale anchors, a posture's lever as carried out.
  function parameterLabel(name) {
    const [head, rest] = name.includes(":") ? name.split(/:(.*)/s) : ["", name];
    if (head === "weight") return `weight on ${criterionLabel(rest)}`;
    if (head === "scale") {
      const end = rest.lastIndexOf(".");
      return `“${rest.slice(end + 1)}” end of the ${criterionLabel(rest.slice(0, end))} scale`;
    }
    if (head) return `${rest} as ${postureLabel(head)} carries it out`;
    return rest;
  }
  // A model parameter (or a posture's lever) as HTML: its name, with its unit and source on
  // hover (from /api/parameters), and its unit after a range when the unit is short.
  function parameterHTML(name) {
    const [head, rest] = name.includes(":") ? name.split(/:(.*)/s) : ["", name];
    const p = head === "weight" || head === "scale" ? null : state.params[rest];
    const label = esc(parameterLabel(name));
    if (!p) return { html: label, unit: "" };
    const short = String(p.unit).split(" (")[0];
    const tip = `${p.unit}${p.judgement ? " (judgement)" : ""}. ${p.source}`;
    return { html: `<span class="param" title="${esc(tip)}">${label}</span>`, unit: short.length <= 24 ? short : "" };
  }
  function boxSentence(box) {
    if (!box.restrictions.length) return "almost whatever you believe";
    return "when " + box.restrictions.map((r) => {
      const p = parameterHTML(r.parameter);
      return `${p.html} is ${sig3(r.low)}–${sig3(r.high)}${p.unit ? " " + esc(p.unit) : ""}`;
    }).join(" and ");
  }
  function robustText(res) {
    const views = Object.keys(res.regret);
    let html = "";
    for (const view of views) {
      const label = (res.perspectives_info[view] || {}).label || human(view);
      const r = res.regret[view], e = res.evppi[view];
      html += `<h4>${esc(label)}</h4><ul>`;
      const wins = Object.entries(r.win_share).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
      // postures that rank first in under RARE of the futures: one line (PRIM does not
      // search them: analysis.robust.MIN_WIN_SHARE)
      const rare = wins.filter(([p, v]) => v < RARE && !res.boxes.some((b) => b.perspective === view && b.posture === p));
      for (const [p, share] of wins.filter((x) => !rare.includes(x))) {
        const box = res.boxes.find((b) => b.perspective === view && b.posture === p);
        const why = box ? `, ${boxSentence(box)} <span class="num">(coverage ${pct0(box.coverage)}, density ${pct0(box.density)})</span>` : "; no pattern of assumptions explains when";
        html += `<li><strong>${esc(postureLabel(p))}</strong> ranks first in <span class="num">${pct0(share)}</span> of futures${why}.</li>`;
      }
      if (rare.length) html += `<li>Rarely first (under ${pct0(RARE)} of futures): ${rare.map(([p, v]) => `${esc(postureLabel(p))} <span class="num">${pct0(v)}</span>`).join(", ")}.</li>`;
      html += `<li>Smallest worst-case regret: <strong>${esc(postureLabel(r.minimax))}</strong> <span class="num">(largest regret ${fix2(r.max_regret[r.minimax])} value points)</span>.</li>`;
      const above = Object.entries(e.parameters).filter(([, v]) => v > e.noise_floor);
      html += above.length
        ? `<li>Most worth knowing first: ${parameterHTML(above[0][0]).html} <span class="num">(EVPPI ${e.parameters[above[0][0]].toFixed(4)} value points; noise floor ${e.noise_floor.toFixed(4)})</span>.</li>`
        : `<li>No single uncertainty is worth resolving above the noise floor <span class="num">(${e.noise_floor.toFixed(4)})</span>.</li>`;
      html += "</ul>";
    }
    return html;
  }
  function chartRobust() {
    const res = state.robust;
    const title = "Who ranks first across the futures, per perspective";
    if (!res) {
      $("robust-text").innerHTML = "";
      return emptyChart("chart-robust", title, "Press “Explore the futures”.");
    }
    const views = Object.keys(res.regret);
    const small = compact("chart-robust");
    // on a narrow chart, the perspective's name without its gloss ("Atlanticist")
    const name = (v) => { const l = (res.perspectives_info[v] || {}).label || human(v); return small ? l.split(" (")[0] : l; };
    const y = views.map((v) => wrap(name(v), small ? 12 : 28));
    const palette = [C.blue, C.orange, C.green, C.purple, C.sky, C.red];
    const data = res.run.postures.map((p, k) => ({
      type: "bar", orientation: "h", name: postureLabel(p), y,
      x: views.map((v) => res.regret[v].win_share[p]),
      // a share's label only where it fits upright (a narrower bar on a phone)
      text: views.map((v) => (res.regret[v].win_share[p] >= (small ? 0.18 : 0.12) ? pct0(res.regret[v].win_share[p]) : "")),
      textangle: 0,
      textposition: "inside", insidetextanchor: "middle", textfont: { color: "#fff" },
      marker: { color: palette[k % palette.length] },
      hovertemplate: "%{y}: " + esc(postureLabel(p)) + " ranks first in %{x:.0%} of futures<extra></extra>",
    }));
    const layout = baseLayout("chart-robust", title, "", { barmode: "stack", hovermode: "closest" });
    const xtitle = small ? `share of ${res.run.samples} futures` : `share of ${res.run.samples} futures in which the posture ranks first`;
    layout.xaxis = { title: { text: xtitle }, range: [0, 1], tickvals: [0, 0.25, 0.5, 0.75, 1], tickformat: ".0%", gridcolor: "#e3e6ea", automargin: true };
    layout.yaxis = { title: { text: "" }, automargin: true, autorange: "reversed", tickfont: { size: small ? 10 : 11 } };
    layout.legend.traceorder = "normal";
    if (small) { layout.margin.b = 70; layout.margin.r = 24; } // room for the "100%" tick
    $("robust-text").innerHTML = robustText(res);
    return Plotly.react("chart-robust", data, layout, config("chart-robust"));
  }

  // ------------------------------------------------------------------ downloads, sharing
  function download(name, text, type) {
    const blob = new Blob([text], { type });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function yamlName(posture) {
    return `natofutures-${posture}.yaml`;
  }
  function scenarioYaml(posture) {
    const lines = [
      "# natofutures scenario saved from the dashboard",
      `# run it with: natofutures simulate ${yamlName(posture)}`,
      `name: dashboard_${posture}`,
      `posture: ${posture}`,
      `horizon: ${state.horizon}`,
    ];
    const keys = Object.keys(state.overrides).sort();
    if (keys.length) {
      lines.push("overrides:");
      for (const k of keys) lines.push(`  ${k}: ${state.overrides[k]}`);
    } else {
      lines.push("overrides: {}");
    }
    return lines.join("\n") + "\n";
  }
  function downloadYaml() {
    // the first posture's scenario (one scenario per file, as `natofutures simulate` reads it)
    download(yamlName(state.a), scenarioYaml(state.a), "application/x-yaml");
  }
  function downloadCsv() {
    const r = results();
    const rows = [["posture", "draws", "seed", "variable", "country", "year", "median", "p05", "p95", "unit"]];
    for (const res of [r.a, r.b]) {
      if (!res) continue;
      for (const [key, band] of Object.entries(res.series)) {
        res.years.forEach((y, i) => rows.push([res.posture, res.draws, res.seed, key, "", y, band.median[i], band.p05 ? band.p05[i] : "", band.p95 ? band.p95[i] : "", res.units[key] || ""]));
      }
      for (const [key, per] of Object.entries(res.by_country)) {
        for (const [iso, vals] of Object.entries(per)) {
          res.years.forEach((y, i) => rows.push([res.posture, res.draws, res.seed, key, iso, y, vals[i], "", "", res.units[key] || ""]));
        }
      }
    }
    const csv = rows.map((row) => row.map((v) => (v == null ? "" : String(v))).join(",")).join("\n") + "\n";
    download(`natofutures-results-${state.a}${state.b ? "-vs-" + state.b : ""}.csv`, csv, "text/csv");
  }
  async function share() {
    writeUrl();
    const url = location.href.split("#")[0];
    try {
      await navigator.clipboard.writeText(url);
      setStatus($("share-status"), "Link copied: it restores the postures and sliders.");
    } catch (e) {
      setStatus($("share-status"), url);
    }
  }

  // ------------------------------------------------------------------ start
  function shortTitle(t) {
    return t.replace(/^Model \d+:\s*/, "");
  }
  function fillPostureSelects() {
    const a = $("postureA"), b = $("postureB");
    for (const [name, p] of Object.entries(state.postures)) {
      a.add(new Option(p.title, name));
      b.add(new Option(p.title, name));
    }
    a.value = state.a;
    b.value = state.b;
    $("postureA-summary").textContent = state.postures[state.a].summary;
    $("postureB-summary").textContent = state.b ? state.postures[state.b].summary : "";
  }
  async function ensureDetails() {
    for (const name of [state.a, state.b]) {
      if (name && !state.details[name]) state.details[name] = await api("/postures/" + encodeURIComponent(name));
    }
  }
  async function init() {
    try {
      const [health, postures, params, persp, geo] = await Promise.all([
        api("/health"), api("/postures"), api("/parameters"), api("/perspectives"),
        fetch("/static/geo/europe.geojson").then((r) => r.json()),
      ]);
      $("version").textContent = health.version;
      $("data-version").textContent = health.data_version;
      state.limits = health.limits;
      state.maxHorizon = Math.min(health.limits.max_horizon, 2075);
      SLIDERS.find((s) => s.path === "horizon").max = Math.min(state.maxHorizon, 2060);
      for (const p of postures) state.postures[p.name] = { ...p, short: shortTitle(p.title) };
      for (const p of params) state.params[p.path] = p;
      state.perspectives = persp;
      for (const p of persp) $("perspective").add(new Option(p.label || p.name, p.name));
      for (const opt of [...$("draws").options]) if (Number(opt.value) > health.limits.max_draws) opt.remove();
      for (const opt of [...$("cmp-draws").options]) if (Number(opt.value) > health.limits.max_compare_draws) opt.remove();
      for (const opt of [...$("rob-samples").options]) if (Number(opt.value) > health.limits.max_robust_samples) opt.remove();
      for (const [id, max] of [["draws", health.limits.max_draws], ["cmp-draws", health.limits.max_compare_draws], ["rob-samples", health.limits.max_robust_samples]]) {
        if (!$(id).options.length && max > 0) $(id).add(new Option(String(max)));
      }
      state.geo = geo;
      projectGeo();
      readUrl();
      fillPostureSelects();
      await ensureDetails();
      buildSliders();
      if (narrow()) $("sliders-card").open = false; // on a phone the charts come first
      $("map-var").value = state.mapVar;
      for (const opt of [...$("rob-samples").options]) if (Number(opt.value) > health.limits.max_robust_samples) opt.remove();
      if (!$("rob-samples").options.length) $("rob-samples").add(new Option(String(health.limits.max_robust_samples)));
      chartScorecard();
      chartSmaa();
      chartAttribution();
      chartRobust();
      wire();
      await update();
    } catch (err) {
      setStatus($("status"), "Error while loading: " + err.message, true);
    }
  }
  function chartWidths() {
    return narrow() + ":" + ["chart-burden", "chart-smaa"].map((id) => $(id).clientWidth).join(",");
  }
  function wire() {
    $("postureA").addEventListener("change", async (e) => {
      state.a = e.target.value;
      if (state.b === state.a) { state.b = ""; $("postureB").value = ""; }
      $("postureA-summary").textContent = state.postures[state.a].summary;
      await ensureDetails();
      syncSliders();
      schedule(performance.now());
    });
    $("postureB").addEventListener("change", async (e) => {
      state.b = e.target.value === state.a ? "" : e.target.value;
      e.target.value = state.b;
      $("postureB-summary").textContent = state.b ? state.postures[state.b].summary : "";
      await ensureDetails();
      syncSliders();
      schedule(performance.now());
    });
    $("reset").addEventListener("click", () => {
      state.overrides = {};
      state.horizon = 2045;
      syncSliders();
      schedule(performance.now());
    });
    $("year").addEventListener("input", (e) => {
      state.year = Number(e.target.value);
      $("year-out").textContent = state.year;
      writeUrl();
      renderYearCharts();
    });
    $("map-var").addEventListener("change", (e) => {
      state.mapVar = e.target.value;
      writeUrl();
      chartMap();
    });
    $("perspective").addEventListener("change", () => chartSmaa());
    // a resized window or a rotated phone: titles are wrapped for the new widths, and the
    // phone layout (no mode bar, legends below) switches on or off
    let resizeTimer = null, widths = chartWidths();
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        const now = chartWidths();
        if (now === widths) return;
        widths = now;
        for (const id of Object.keys(drawn)) delete drawn[id];
        mapDrawnVar = null;
        renderAll();
        chartScorecard();
        chartSmaa();
        chartAttribution();
        chartRobust();
      }, 200);
    });
    $("run-mc").addEventListener("click", runMonteCarlo);
    $("cancel-mc").addEventListener("click", () => cancelMonteCarlo("Cancelled."));
    $("cancel-cmp").addEventListener("click", cancelCompare);
    $("clear-mc").addEventListener("click", () => schedule(performance.now()));
    $("run-compare").addEventListener("click", runCompare);
    $("attr-posture").addEventListener("change", () => chartAttribution());
    $("run-robust").addEventListener("click", runRobust);
    $("cancel-rob").addEventListener("click", cancelRobust);
    $("dl-yaml").addEventListener("click", downloadYaml);
    $("dl-csv").addEventListener("click", downloadCsv);
    $("share").addEventListener("click", share);
  }
  function start() {
    if (typeof Plotly === "undefined") {
      setStatus($("status"), "Error: plotly.js did not load.", true);
      return;
    }
    init();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
