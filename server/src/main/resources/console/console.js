// The Workflows page: reads /console/api/workflows and calls Start, Stop and Edit on it. No framework, no build step.
"use strict";

const api = "api/workflows";
const tbody = document.querySelector("#workflows tbody");
const message = document.getElementById("message");
const editor = document.getElementById("editor");
const starting = new Set();
let editingId = null;

function headers(extra) {
  const h = Object.assign({ "Accept": "application/json" }, extra || {});
  const token = sessionStorage.getItem("dve-console-token");
  if (token) {
    h["Authorization"] = "Bearer " + token;
  }
  return h;
}

async function call(method, path, body) {
  const init = { method: method, headers: headers(body ? { "Content-Type": "application/json" } : null) };
  if (body) {
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  const json = await r.json().catch(() => ({}));
  if (!r.ok) {
    if (r.status === 401 || r.status === 403) {
      document.getElementById("signin").hidden = false;
    }
    const e = new Error((json.error && json.error.message) || ("HTTP " + r.status));
    e.code = json.error && json.error.code;
    throw e;
  }
  return json;
}

function show(text, info) {
  message.textContent = text;
  message.className = info ? "info" : "";
  message.hidden = !text;
}

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  row.appendChild(td);
  return td;
}

function button(label, name, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.name = name;
  b.addEventListener("click", onClick);
  return b;
}

function render(workflows) {
  tbody.replaceChildren();
  for (const w of workflows) {
    const tr = document.createElement("tr");
    tr.dataset.id = w.workflowid;
    cell(tr, w.name, "name");
    cell(tr, String(w.backlog), "backlog");
    const status = starting.has(w.workflowid) ? "STARTING" : w.status;
    const s = cell(tr, status, "status status-" + status);
    if (w.problem) {
      s.title = w.problem;
    }
    const actions = cell(tr, "", "actions");
    actions.appendChild(button("Edit", "edit", () => edit(w.workflowid)));
    if (w.statecode === 1) {
      const stop = button("Stop", "stop", () => toggle(w.workflowid, "stop"));
      if (w.pending) {
        stop.classList.add("warning");
        stop.title = "Edited since it was started: Stop and Start to apply the change.";
      }
      actions.appendChild(stop);
    } else {
      const start = button("Start", "start", () => toggle(w.workflowid, "start"));
      start.disabled = starting.has(w.workflowid);
      if (w.pending) {
        start.title = "Start applies the pending change.";
      }
      actions.appendChild(start);
    }
    tbody.appendChild(tr);
  }
}

async function load() {
  try {
    const list = await call("GET", api);
    render(list.value);
  } catch (e) {
    show(e.message);
  }
}

async function toggle(id, action) {
  show("");
  if (action === "start") {
    // activation is processed while this request runs: the row says STARTING until it answers
    starting.add(id);
    const row = tbody.querySelector("tr[data-id='" + id + "'] td.status");
    if (row) {
      row.textContent = "STARTING";
      row.className = "status status-STARTING";
    }
  }
  try {
    await call("POST", api + "/" + id + "/" + action);
  } catch (e) {
    show(e.message);
  } finally {
    starting.delete(id);
    await load();
  }
}

async function edit(id) {
  show("");
  try {
    const w = await call("GET", api + "/" + id);
    editingId = id;
    const change = w.pendingChange || {};
    document.getElementById("editing").textContent = w.name;
    document.getElementById("edit-name").value = w.pending ? change.name : w.name;
    document.getElementById("edit-description").value = (w.pending ? change.description : w.description) || "";
    document.getElementById("edit-xaml").value = w.xaml || "";
    document.getElementById("edit-note").textContent = w.statecode === 1
        ? "This workflow is running: the change is kept pending and takes effect after Stop and Start."
        : "This workflow is stopped: the change is saved at once.";
    editor.hidden = false;
  } catch (e) {
    show(e.message);
  }
}

editor.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  try {
    const w = await call("PUT", api + "/" + editingId, {
      name: document.getElementById("edit-name").value,
      description: document.getElementById("edit-description").value,
      xaml: document.getElementById("edit-xaml").value
    });
    editor.hidden = true;
    show(w.pending ? "Saved as a pending change: Stop and Start the workflow to apply it." : "Saved.", true);
    await load();
  } catch (e) {
    show(e.message);
  }
});

document.getElementById("cancel").addEventListener("click", () => { editor.hidden = true; });
document.getElementById("refresh").addEventListener("click", load);
document.getElementById("signin").addEventListener("submit", (ev) => {
  ev.preventDefault();
  sessionStorage.setItem("dve-console-token", document.getElementById("token").value.trim());
  document.getElementById("signin").hidden = true;
  show("");
  load();
});

load();
