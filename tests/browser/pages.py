"""Helpers the browser tests share: phone and desktop pages, overflow and CSP checks."""

PASSWORD = "a-long-and-unusual-passphrase"

# Every sideways overflow: the page's own, and that of any box that scrolls. A
# phone's layout viewport (window.innerWidth) grows to fit content that is too
# wide, so the page is measured against the screen's width (clientWidth).
OVERFLOW = """() => {
  const wide = [];
  const page = document.scrollingElement;
  const screen = Math.min(window.innerWidth, document.documentElement.clientWidth);
  if (page.scrollWidth > screen) wide.push(`page: ${page.scrollWidth} > ${screen}`);
  for (const box of document.querySelectorAll("body *")) {
    const x = getComputedStyle(box).overflowX;
    if ((x === "auto" || x === "scroll") && box.scrollWidth > box.clientWidth) {
      wide.push(`${box.tagName}.${box.className}: ${box.scrollWidth} > ${box.clientWidth}`);
    }
  }
  return wide;
}"""


def phone(browser, width, **options):
    """Return a page in a touch phone's context, `width` CSS pixels wide."""
    context = browser.new_context(
        viewport={"width": width, "height": 844}, is_mobile=True, has_touch=True, **options
    )
    return context.new_page()


def desktop(browser, **options):
    return browser.new_context(viewport={"width": 1280, "height": 800}, **options).new_page()


def assert_no_sideways_scroll(page):
    assert page.evaluate(OVERFLOW) == []


def watch_csp(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('Content Security Policy violation: ' + e.violatedDirective))"
    )
    return violations
