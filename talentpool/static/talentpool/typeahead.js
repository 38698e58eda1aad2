// The type-ahead picker (core.widgets.TypeaheadSelect), from a static file: the Content-Security-
// Policy allows no inline script. Without this script the box is a plain text field that the form
// resolves by name or code; with it, the box is an ARIA combobox over a JSON search:
//   <div data-typeahead="/registry/occupations/search/"> <input data-typeahead-input …> </div>
// Typing asks `source?q=…` for {"results": [{"id", "value", "label", "hint"}]}; ↑/↓ move through
// the list, Enter picks, Escape closes, a tap picks on a phone. The picked record's number goes in
// a hidden input named like the field; text typed but not picked is sent as typed (the form then
// resolves it or says why not).
"use strict";

(() => {
  const DELAY = 150; // ms after the last key before asking the server
  let counter = 0;

  function enhance(root) {
    if (root.dataset.typeaheadReady) {
      return;
    }
    root.dataset.typeaheadReady = "1";
    const input = root.querySelector("[data-typeahead-input]");
    if (!input) {
      return;
    }
    counter += 1;
    const source = root.dataset.typeahead;
    const listId = input.dataset.typeaheadListbox || `typeahead-${counter}-options`;

    // The field's value travels in a hidden input; the box shows the label only.
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.dataset.typeaheadNumber || input.value;
    input.removeAttribute("name");
    root.appendChild(hidden);

    const list = document.createElement("ul");
    list.id = listId;
    list.className = "typeahead-menu list-group shadow-sm";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    root.appendChild(list);

    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    root.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    const label = input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
    if (label) {
      if (!label.id) {
        label.id = `${input.id}-label`;
      }
      list.setAttribute("aria-labelledby", label.id);
    }

    let results = [];
    let active = -1;
    let timer = null;
    let controller = null;

    function options() {
      return Array.from(list.querySelectorAll("[role=option]"));
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const items = options();
      items.forEach((item, i) => {
        const on = i === index;
        item.classList.toggle("active", on);
        item.setAttribute("aria-selected", on ? "true" : "false");
      });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      const result = results[index];
      if (!result) {
        return;
      }
      input.value = result.value;
      hidden.value = String(result.id);
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function render() {
      list.replaceChildren();
      if (!results.length) {
        const empty = document.createElement("li");
        empty.className = "list-group-item text-muted typeahead-empty";
        empty.textContent = root.dataset.typeaheadEmpty || "";
        list.appendChild(empty);
        status.textContent = empty.textContent;
        open();
        return;
      }
      results.forEach((result, i) => {
        const item = document.createElement("li");
        item.id = `${listId}-${i}`;
        item.className = "list-group-item list-group-item-action typeahead-option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        const name = document.createElement("span");
        name.textContent = result.label;
        item.appendChild(name);
        if (result.hint) {
          const hint = document.createElement("small");
          hint.className = "text-muted ms-2";
          hint.textContent = result.hint;
          item.appendChild(hint);
        }
        // mousedown, not click: the box keeps the focus (its blur would close the list first)
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(item);
      });
      status.textContent = (root.dataset.typeaheadFound || "").replace("{count}", String(results.length));
      open();
      highlight(-1);
    }

    async function ask(query) {
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      const url = `${source}${source.includes("?") ? "&" : "?"}q=${encodeURIComponent(query)}`;
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok || !(response.headers.get("Content-Type") || "").includes("json")) {
          close();
          return;
        }
        const body = await response.json();
        if (input.value.trim() !== query) {
          return; // typed on meanwhile: a later answer comes
        }
        results = Array.isArray(body.results) ? body.results : [];
        render();
      } catch (error) {
        if (error.name !== "AbortError") {
          close();
        }
      }
    }

    input.addEventListener("input", () => {
      const query = input.value.trim();
      // Until a result is picked the text itself is the value: the form resolves it or says why not.
      hidden.value = query;
      clearTimeout(timer);
      if (!query) {
        results = [];
        close();
        return;
      }
      timer = setTimeout(() => ask(query), DELAY);
    });

    input.addEventListener("keydown", (event) => {
      const count = options().length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          if (input.value.trim()) {
            ask(input.value.trim());
          }
          return;
        }
        if (!count) {
          return;
        }
        if (event.key === "ArrowDown") {
          highlight(active + 1 < count ? active + 1 : 0);
        } else {
          highlight(active > 0 ? active - 1 : count - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault(); // picking does not submit the form
          pick(active);
        } else if (!list.hidden && results.length === 1) {
          event.preventDefault();
          pick(0);
        } else {
          close();
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", close);
  }

  function enhanceAll(scope) {
    scope.querySelectorAll("[data-typeahead]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  } else {
    enhanceAll(document);
  }
  // Markup htmx swaps in later (the filter form, a row's edit form) gets the same behaviour.
  document.addEventListener("htmx:load", (event) => enhanceAll(event.target));
})();
