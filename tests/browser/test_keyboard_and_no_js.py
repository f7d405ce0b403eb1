"""By keyboard alone and with JavaScript off, a person gets from the start page to their results; focus is
always visible, targets are big enough, errors take focus, and the skip link and reduced motion work."""

from __future__ import annotations

from browsing import CALM, EMERGENCY, answer, focus_info, on_advice, page_id, start, submit, walk_to_results
from playwright.sync_api import Browser, Page, expect

FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"
STYLE = """el => { const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color].join('|'); }"""


def tab_to(page: Page, test: str, what: str, key: str = "Tab", limit: int = 150) -> None:
    """Press Tab (or `key`) until the focused element passes the JavaScript test `test` (el => bool)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"({test})(document.activeElement)"):
            return
    raise AssertionError(f"{key} never reached {what} on {page.url}")


def keyboard_answer(page: Page, name: str, value: str) -> None:
    kind = page.get_attribute(f'input[name="{name}"]', "type")
    if kind == "radio":
        tab_to(page, f"el => el.name === '{name}'", name)  # Tab enters a radio group once
        for _ in range(20):
            if focus_info(page)["value"] == value:
                break
            page.keyboard.press("ArrowDown")  # arrows move through the group and choose
        if not page.evaluate("document.activeElement.checked"):
            page.keyboard.press("Space")  # Tab lands on the first option without choosing it
        assert page.is_checked(f'input[name="{name}"][value="{value}"]'), (name, value)
    else:
        tab_to(page, f"el => el.name === '{name}' && el.value === '{value}'", f"{name}={value}")
        page.keyboard.press("Space")
        assert page.is_checked(f'input[name="{name}"][value="{value}"]'), (name, value)


def press_enter_on(page: Page, test: str, what: str) -> None:
    tab_to(page, test, what)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_questionnaire_can_be_done_by_keyboard_alone(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/?lang=en")
    press_enter_on(page, "el => el.classList.contains('button-start')", "the Start button")
    seen, advice = [], []
    while "/questions" in page.url:
        if on_advice(page):  # a warning sign's advice: go on by keyboard too
            assert page.locator("main h1 a[href^='tel:']").count() == 1
            press_enter_on(page, "el => el.closest('main .actions') && el.tagName === 'A'", "Continue with the questions")
            advice.append(page_id(page))  # the page the advice came in place of
            assert page.locator("main .advice-reminder a[href^='tel:']").is_visible()
        seen.append(page_id(page))
        for name, value in EMERGENCY[page_id(page)]:
            keyboard_answer(page, name, value)
        # The question form's own button: the Back button above it is a form button too.
        press_enter_on(page, "el => el.type === 'submit' && el.closest('form[data-page]')", "Continue")
    assert seen == list(EMERGENCY)
    assert advice == [seen[seen.index("pump") + 1]]  # right after the signs were reported, once
    assert page.url.endswith("/check")
    # Back up with Shift+Tab from the results button to a Change link, then forward again.
    tab_to(page, "el => (el.getAttribute('href') || '').endsWith('/results')", "See my results")
    tab_to(page, "el => el.closest('.summary-change')", "a Change link", key="Shift+Tab")
    press_enter_on(page, "el => (el.getAttribute('href') || '').endsWith('/results')", "See my results")
    assert page.locator("h1").inner_text() == "Your results"
    assert page.locator(".emergency-banner h2").inner_text().endswith("now")


def test_the_whole_questionnaire_works_with_javascript_off(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        start(page, base_url)
        submit(page)  # nothing ticked: the error summary still takes focus (autofocus)
        expect(page.locator(".error-summary")).to_be_focused()
        walk_to_results(page, base_url, CALM)
        assert page.locator("h1").inner_text() == "Your results"
        assert page.locator(".emergency-banner").count() == 0
        assert page.locator(".advice-reminder").count() == 0
        assert page.locator(".level-discuss .guidance").count() >= 1
        assert not page.locator("[data-print]").is_visible()  # the print button needs JavaScript
        assert "Print menu" in page.locator("main").inner_text()  # so the page says how instead
    finally:
        context.close()


def test_the_error_summary_takes_focus_and_links_to_each_question(page: Page, base_url: str) -> None:
    start(page, base_url)
    submit(page)
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.title().startswith("Error: Step 1 of")
    links = page.locator(".error-summary a")
    assert links.count() == len(EMERGENCY["about"])
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")
        assert target and page.locator(target).count() == 1, target
    assert page.locator(".question-error .error-message").count() == links.count()  # not by colour alone


def test_focus_is_visible_on_everything_a_keyboard_reaches(page: Page, base_url: str) -> None:
    walk_to_results(page, base_url, EMERGENCY)
    for path in ("/", "/questions", "/check", "/results"):
        page.goto(base_url + path)
        resting = page.evaluate(f"""() => {{ const style = {STYLE};
            window.__resting = new Map([...document.querySelectorAll('{FOCUSABLE}')].map(el => [el, style(el)]));
            return window.__resting.size; }}""")
        assert resting > 3
        reached = 0
        for _ in range(resting + 5):
            page.keyboard.press("Tab")
            focused = page.evaluate(f"""() => {{ const el = document.activeElement, style = {STYLE};
                if (el === document.body) return null;
                const s = getComputedStyle(el), box = el.getBoundingClientRect();
                return {{what: el.outerHTML.slice(0, 80), changed: window.__resting.get(el) !== style(el),
                         marked: s.outlineStyle !== 'none' || s.boxShadow !== 'none',
                         onScreen: box.width > 1 && box.height > 1 && box.left >= 0 && box.top >= -1
                                   && box.bottom <= innerHeight + 1}}; }}""")
            if focused is None:
                continue
            reached += 1
            assert focused["changed"] and focused["marked"], f"no visible focus on {path}: {focused['what']}"
            assert focused["onScreen"], f"focused but off screen on {path}: {focused['what']}"
        assert reached > 3, path


def test_targets_are_at_least_24_px(page: Page, base_url: str) -> None:
    small: list[str] = []

    def measure() -> None:
        small.extend(f"{page.url}: {item}" for item in page.evaluate(f"""() => [...document.querySelectorAll('{FOCUSABLE}')]
            .filter(el => el.id !== 'main' && !el.closest('.visually-hidden, .skip-link'))
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, box]) => box.width > 1 && (box.width < 24 || box.height < 24))
            .map(([el, b]) => `${{el.outerHTML.slice(0, 60)}}: ${{Math.round(b.width)}}x${{Math.round(b.height)}}`)"""))

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base_url}/?lang=en")
    measure()
    submit(page, "button.button-start")
    submit(page)
    measure()  # the error state, with its summary links
    while "/questions" in page.url:
        measure()
        answer(page, EMERGENCY)
    measure()
    submit(page, 'a.button[href$="/results"]')
    measure()
    assert not small, "\n".join(small)


def test_the_skip_link_is_first_and_jumps_to_the_content(page: Page, base_url: str) -> None:
    start(page, base_url)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert focus_info(page)["href"] == "#main" and skip.is_visible()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, box  # on screen while focused
    page.keyboard.press("Enter")
    assert focus_info(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert focus_info(page)["text"] == "Back"  # the next stop is inside the page, not the header


def test_reduced_motion_is_honoured(page: Page, base_url: str) -> None:
    page.emulate_media(reduced_motion="reduce")
    walk_to_results(page, base_url, EMERGENCY)
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter(el => {
        const s = getComputedStyle(el);
        return s.animationName !== 'none' || s.transitionDuration.split(',').some(d => parseFloat(d) > 0)
            || s.scrollBehavior === 'smooth'; }).map(el => el.tagName)""")
    assert moving == []
    assert page.evaluate("document.getAnimations().length") == 0
