"""The evidence browser in a real browser: headless Chromium driven by Selenium.

Every page of the site built from the bundled data loads from disk with no
console error and no request outside the site; every link resolves; a click
on each heatmap cell reaches the page of exactly the passages the evidence
query gives for that case and factor; the heatmap's screenshot is not blank;
axe-core finds no serious or critical accessibility violation on any page.

Needs /usr/bin/chromium and /usr/bin/chromedriver (skipped otherwise; Selenium
Manager never downloads a browser) and, for the accessibility test, axe-core's
axe.min.js at the path in COLLABKG_AXE_JS.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from collabkg.query import rows
from collabkg.report import report

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    report(out)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[test])")
    from selenium.webdriver.chrome.service import Service

    if not CHROMIUM.is_file() or not CHROMEDRIVER.is_file():
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(argument)
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def load(browser: Any, path: Path) -> None:
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(path.as_uri())


def requests(browser: Any) -> list[str]:
    """The URLs the page asked for since it was loaded."""
    found = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            found.append(message["params"]["request"]["url"])
    return found


def test_every_page_loads_with_no_error_and_no_request_outside_the_site(browser: Any, site: Path) -> None:
    root = site.resolve().as_uri() + "/"
    for path in pages(site):
        load(browser, path)
        assert browser.title.endswith("collabkg evidence"), path
        errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert not errors, (path, errors)
        asked = requests(browser)
        assert asked, path
        outside = [url for url in asked if not url.startswith(root)]
        assert not outside, (path, outside)
        assert browser.execute_script("return document.styleSheets.length") == 1, path


def test_every_link_resolves(browser: Any, site: Path) -> None:
    for path in pages(site):
        load(browser, path)
        links = browser.execute_script("return Array.from(document.querySelectorAll('a[href]'), a => a.href)")
        for link in links:
            parts = urlsplit(link)
            assert parts.scheme == "file", (path, link)
            target = Path(unquote(parts.path))
            assert target.is_file(), (path, link)
            if parts.fragment:
                load(browser, target)
                assert browser.execute_script("return document.getElementById(arguments[0]) !== null", parts.fragment), (
                    path,
                    link,
                )
                load(browser, path)


def test_a_click_on_each_heatmap_cell_reaches_its_passages(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By

    load(browser, site / "heatmap.html")
    count = len(browser.find_elements(By.CSS_SELECTOR, "table.heatmap td a"))
    assert count == sum(1 for r in rows("case-factor-matrix") if r["evidence"])
    for index in range(count):
        load(browser, site / "heatmap.html")
        cell = browser.find_elements(By.CSS_SELECTOR, "table.heatmap td a")[index]
        number = int(cell.text.split()[0].rstrip("●◆○"))
        cell.click()
        assert "/cells/" in browser.current_url
        section = browser.find_element(By.CSS_SELECTOR, "section.passages")
        case, factor = section.get_attribute("data-case"), section.get_attribute("data-factor")
        expected = [str(r["text"]) for r in rows("evidence", case=case, factor=factor)]
        shown = [q.text for q in browser.find_elements(By.CSS_SELECTOR, "figure.passage blockquote")]
        assert [" ".join(t.split()) for t in shown] == [" ".join(t.split()) for t in expected]
        assert len(shown) == number
        assert len(browser.find_elements(By.CSS_SELECTOR, "figure.passage .status")) == number


def test_the_heatmap_screenshot_is_not_blank(browser: Any, site: Path, tmp_path: Path) -> None:
    from PIL import Image, ImageStat
    from selenium.webdriver.common.by import By

    load(browser, site / "heatmap.html")
    shot = tmp_path / "heatmap.png"
    browser.find_element(By.CSS_SELECTOR, "div.scroll").screenshot(str(shot))
    with Image.open(shot) as image:
        assert image.width > 300 and image.height > 200
        variance = ImageStat.Stat(image.convert("L")).var[0]
    assert variance > 100, variance


def test_keyboard_reaches_the_skip_link_then_the_cells(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    load(browser, site / "heatmap.html")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip"
    seen = []
    for _ in range(200):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        seen.append(browser.execute_script("return document.activeElement.closest('td') !== null"))
        if seen[-1]:
            break
    assert any(seen), "no heatmap cell is reachable by Tab"


def test_axe_finds_no_serious_or_critical_violation(browser: Any, site: Path) -> None:
    axe = os.environ.get("COLLABKG_AXE_JS")
    if not axe:
        pytest.skip("COLLABKG_AXE_JS is not set (the path of axe-core's axe.min.js)")
    source = Path(axe).read_text(encoding="utf-8")
    browser.set_script_timeout(60)
    problems = []
    for path in pages(site):
        load(browser, path)
        browser.execute_script(source)
        violations = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document).then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.length])))"
        )
        problems += [(path.relative_to(site).as_posix(), *v) for v in violations if v[1] in ("serious", "critical")]
    assert not problems, problems


def test_chromium_is_where_ci_installs_it() -> None:
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not installed")
    assert CHROMIUM.is_file()
