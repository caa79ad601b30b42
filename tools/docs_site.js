// mixup_nb docs: wide equations scaled to the column, shrunk figures opened at full size on click.
// Copied into the site as site_libs/mixup_nb.js by tools/build_docs.py; loaded after smalldocs.js (which typesets maths).
(() => {
  const MIN_SCALE = 0.5;   // below this an equation is left at half size and scrolls; a click shows it at full size

  const fitEquations = () => {
    document.querySelectorAll(".katex-display").forEach((el) => {
      el.style.fontSize = "";
      el.classList.remove("eq-scaled", "eq-wide");
      const inner = el.querySelector(".katex") || el;
      const need = inner.scrollWidth, have = el.clientWidth;
      if (!have || need <= have) return;
      const s = Math.max(MIN_SCALE, (have / need) * 0.98);
      el.style.fontSize = (s * 100).toFixed(1) + "%";
      el.classList.add("eq-scaled");
      el.title = "Scaled to fit; click for full size";
      if (inner.scrollWidth > el.clientWidth + 1) el.classList.add("eq-wide");
    });
  };

  // Logs and printed tables keep their columns: scaled down to the column (to 70%); if that is not enough, a table
  // (a training log) scrolls in its own box on a phone, and other text wraps at full size
  const tabular = (t) => {
    const rows = t.split("\n").filter((l) => l.trim());
    return rows.length >= 2 && rows.filter((l) => /\S\s{2,}\S/.test(l)).length >= rows.length * 0.6;
  };
  const fitOutputs = () => {
    document.querySelectorAll(".cell-output pre").forEach((pre) => {
      if (pre.closest(".cell-output-markdown")) return;   // show_doc signatures wrap at full size
      pre.style.fontSize = ""; pre.classList.add("out-nowrap"); pre.classList.remove("out-table");
      const need = pre.scrollWidth, have = pre.clientWidth;
      if (have && need > have + 1) {
        const s = Math.max(0.7, (have / need) * 0.98);
        pre.style.fontSize = (s * 0.875).toFixed(3) + "rem";
        if (pre.scrollWidth > pre.clientWidth + 1) {
          if (window.innerWidth < 600 && tabular(pre.textContent)) pre.classList.add("out-table");
          else { pre.style.fontSize = ""; pre.classList.remove("out-nowrap"); }   // it wraps anyway: at full size
        }
      }
    });
  };

  // DataFrames: long column names break after underscores, then the table is scaled to the column (to 65%)
  const fitTables = () => {
    document.querySelectorAll("table.dataframe").forEach((t) => {
      const box = t.closest(".cell-output-display") || t.parentElement;
      if (!t.dataset.wbr) {
        t.dataset.wbr = "1";
        t.querySelectorAll("th").forEach((th) => {
          if (th.children.length === 0 && th.textContent.includes("_"))
            th.innerHTML = th.textContent.split("_").map((w) => w.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" }[c]))).join("_<wbr>");
        });
      }
      t.querySelectorAll("td").forEach((td) => {   // a sentence in a cell (a claim, a reason) wraps; numbers stay whole
        if (td.textContent.length > 24 && /\s\S+\s/.test(td.textContent)) td.style.whiteSpace = "normal";
      });
      t.style.fontSize = "";
      const need = Math.max(t.scrollWidth, t.parentElement.scrollWidth), have = box.clientWidth;
      if (have && need > have + 1) t.style.fontSize = (Math.max(0.65, (have / need) * 0.98) * 0.85).toFixed(3) + "rem";
    });
  };

  const overlay = (node) => {
    const o = document.createElement("div");
    o.className = "mixup-zoom";
    o.setAttribute("role", "dialog");
    o.tabIndex = -1;
    o.appendChild(node);
    const close = () => { o.remove(); document.removeEventListener("keydown", esc); };
    const esc = (ev) => { if (ev.key === "Escape") close(); };
    o.addEventListener("click", close);
    document.addEventListener("keydown", esc);
    document.body.appendChild(o);
    o.focus();
  };

  const zoomEquations = () => {
    document.addEventListener("click", (ev) => {
      const el = ev.target.closest && ev.target.closest(".katex-display.eq-scaled");
      if (!el) return;
      const c = el.cloneNode(true);
      c.style.fontSize = ""; c.classList.remove("eq-scaled", "eq-wide"); c.removeAttribute("title");
      overlay(c);
    });
  };

  const zoomFigures = () => {
    document.querySelectorAll("main img, #quarto-document-content img").forEach((img) => {
      const mark = () => {
        if (!img.naturalWidth) return;
        const shrunk = img.naturalWidth > img.clientWidth * 1.05;
        img.classList.toggle("zoomable", shrunk);
        if (shrunk && !img.dataset.zoom) {
          img.dataset.zoom = "1";
          img.tabIndex = 0;
          img.setAttribute("role", "button");
          img.title = (img.alt ? img.alt + " — " : "") + "click for full size";
          const open = () => {
            if (!img.classList.contains("zoomable")) return;
            const big = new Image(); big.src = img.currentSrc || img.src; big.alt = img.alt;
            overlay(big);
          };
          img.addEventListener("click", open);
          img.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); } });
        }
      };
      if (img.complete) mark(); else img.addEventListener("load", mark);
    });
  };

  const run = () => { fitEquations(); fitOutputs(); fitTables(); zoomFigures(); };
  let t = null;
  window.addEventListener("resize", () => { clearTimeout(t); t = setTimeout(run, 150); });
  zoomEquations();
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(run); else run();
  run();
  window.mixupDocsReady = true;
})();
