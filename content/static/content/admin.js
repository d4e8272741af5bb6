"use strict";
// Select2, which draws the admin's autocomplete fields, leaves its combobox and
// search box without a name (axe: label, aria-input-field-name): name each after
// the field's own <label>, or in a tabular inline's row after its column's header.
// This file loads after the admin's autocomplete.js and SelectFilter2.js, so its
// handlers run once select2 and the two-pane pickers have drawn the fields.
{
    const $ = django.jQuery;

    function labelOf(select) {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        const cell = select.closest("td");
        const field = cell && [...cell.classList].find((name) => name.startsWith("field-"));
        if (label || !field) {
            return label;
        }
        const column = field.replace("field-", "column-");
        const header = select.closest("table").querySelector(`thead th.${CSS.escape(column)}`);
        if (header) {
            header.id = header.id || `${select.closest(".inline-group").id}-${column}`;
        }
        return header;
    }

    function nameAfterLabel(select) {
        const label = labelOf(select);
        const drawn = select.nextElementSibling;
        if (!label || !drawn || !drawn.classList.contains("select2")) {
            return;
        }
        label.id = label.id || `${select.id}-label`;
        for (const box of drawn.querySelectorAll('[role="combobox"], [role="textbox"], input')) {
            const names = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
            if (!names.includes(label.id)) {
                box.setAttribute("aria-labelledby", [label.id, ...names].join(" "));
            }
        }
    }

    function nameAll(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach(nameAfterLabel);
    }

    $(() => nameAll(document));
    document.addEventListener("formset:added", (event) => nameAll(event.target));
}

// The two-pane picker's filter icons carry an aria-label on a bare <span>, which
// the ARIA rules forbid (axe: aria-prohibited-attr): make each the image it is,
// so its help text stays part of the filter box's name.
window.addEventListener("load", () => {
    document.querySelectorAll("span.search-label-icon[aria-label]:not([role])").forEach((icon) => {
        icon.setAttribute("role", "img");
    });
});
