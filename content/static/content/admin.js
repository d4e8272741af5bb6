"use strict";
// Select2, which draws the admin's autocomplete fields, leaves its combobox and
// search box without a name (axe: label, aria-input-field-name): name each after
// the field's own <label>. This file loads after the admin's autocomplete.js, so
// its handlers run once select2 has drawn the fields.
{
    const $ = django.jQuery;

    function nameAfterLabel(select) {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
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
