"""Figure 10 of `make bench`: electronic filing.

- Request time of a filing with a 500-page PDF against one with a 1-page PDF (ratio):
  the documents step (upload, PDF rules, staging) plus the final submit (storage, the
  court's stamp, the entry's transaction), through the whole WSGI stack (Django's test
  client on the bench's PostgreSQL), median of interleaved repetitions.
- Worker memory growth for a 100 MB upload: a one-worker gunicorn serving NextGen; the
  worker's peak RSS (VmHWM, reset through /proc/<pid>/clear_refs) during a documents-step
  POST of a 100 MB PDF, minus its RSS before. The goal: about 64 MB at most, because the
  upload streams to a temporary file and the PDF is read from disk.
"""

from __future__ import annotations

import io
import re
import statistics
import time
from pathlib import Path

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FLOW_RE = re.compile(r'name="flow" value="([0-9a-f]+)"')
MB = 1024 * 1024


def big_pdf(path: Path, size: int) -> None:
    """A valid one-page PDF of about `size` bytes: a page with an incompressible image."""
    import os

    import pikepdf

    side = int((size / 3) ** 0.5)
    pdf = pikepdf.new()
    image = pdf.make_stream(os.urandom(side * side * 3))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = side, side
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
    page = pdf.add_blank_page(page_size=(612, 792))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pdf.make_stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q")
    pdf.save(path, compress_streams=False)


def _setup(code: str, limit_mb: int):
    """A district court, a linked attorney and a civil case of theirs."""
    import datetime as dt

    from django.utils import timezone

    from nextgen.dockets import actions
    from nextgen.dockets.documents import DocumentUpload, store_documents
    from nextgen.dockets.events import event
    from nextgen.dockets.sample_pdf import tiny_pdf
    from nextgen.ecf.models import Court, FilerAccount
    from nextgen.signon.models import Account

    court, _ = Court.objects.get_or_create(
        code=code,
        defaults={
            "name": f"Bench Court {code}",
            "kind": "district",
            "go_live": dt.date(2020, 1, 1),
        },
    )
    court.filing_size_limit_mb = limit_mb
    court.save(update_fields=["filing_size_limit_mb"])
    account = Account.objects.create_user(
        f"{code}.filer",
        "Bench#Filing2026",
        first_name="John",
        last_name="Attorney",
        email=f"{code}.filer@example.com",
        user_type="attorney",
        upgraded_at=timezone.now(),
    )
    filer = FilerAccount.objects.create(
        court=court, login=f"{code}filer", account=account, linked_at=timezone.now()
    )
    complaint = io.BytesIO(tiny_pdf("Complaint"))
    case, _ = actions.open_case(
        acting=account,
        court=court,
        case_type="cv",
        title="Doe v. Acme Corp.",
        office=3,
        parties=[
            actions.PartySpec("Jane Doe", "Plaintiff", represented=True),
            actions.PartySpec("Acme Corp.", "Defendant"),
        ],
        event=event(court, "civil", "complaint"),
        documents=store_documents([DocumentUpload(file=complaint)], court=court),
    )
    return court, account, filer, case


def _walk_to_documents(get, post, court, case) -> None:
    """Start a Motion to Dismiss and answer every step before the documents."""
    from django.urls import reverse

    from nextgen.dockets.events import event

    motion = event(court, "civil", "motion_to_dismiss")
    get(reverse("filing:start", args=[court.code, "civil", motion.pk]))
    post(reverse("filing:case", args=[court.code]), {"case_number": case.number})
    post(reverse("filing:confirm", args=[court.code]), {})
    plaintiff = case.parties.get(role="Plaintiff")
    post(reverse("filing:parties", args=[court.code]), {"parties": [str(plaintiff.pk)]})


def _request_times(court, account, case, pdf_bytes: bytes, reps_for: dict, reps: int):
    from django.test import Client
    from django.urls import reverse

    times: dict[str, list[float]] = {label: [] for label in reps_for}
    client = Client()
    client.force_login(account)
    documents_url = reverse("filing:documents", args=[court.code])
    for _ in range(reps):
        for label, data in reps_for.items():  # interleaved: drift in load hits both
            _walk_to_documents(client.get, client.post, court, case)
            upload = io.BytesIO(data)
            upload.name = f"{label}.pdf"
            started = time.perf_counter()
            response = client.post(documents_url, {"main_document": upload})
            elapsed = time.perf_counter() - started
            if response.status_code != 302:
                raise RuntimeError(f"documents step answered {response.status_code}")
            client.post(reverse("filing:text", args=[court.code]), {"free_text": ""})
            review = client.get(reverse("filing:review", args=[court.code]))
            token = FLOW_RE.search(review.content.decode()).group(1)
            started = time.perf_counter()
            response = client.post(reverse("filing:review", args=[court.code]), {"flow": token})
            elapsed += time.perf_counter() - started
            if response.status_code != 302 or "/receipt/" not in response["Location"]:
                raise RuntimeError(f"final submit answered {response.status_code}")
            times[label].append(elapsed)
    return times


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{key} not in /proc/{pid}/status")


def _upload_growth(server, court, account, case, pdf_path: Path, warm: bytes) -> dict:
    """Peak RSS growth of the one worker during a documents-step POST of `pdf_path`."""
    import httpx
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    login = Client()
    login.force_login(account)
    cookies = {settings.SESSION_COOKIE_NAME: login.cookies[settings.SESSION_COOKIE_NAME].value}
    documents_url = reverse("filing:documents", args=[court.code])
    with httpx.Client(base_url=server.base, cookies=cookies, timeout=300) as http:

        def get(url):
            return http.get(url, follow_redirects=True)

        def token() -> str:
            page = http.get(documents_url, follow_redirects=True)
            return CSRF_RE.search(page.text).group(1)

        def post(url, data):
            page = http.get(url, follow_redirects=True)
            data = {**data, "csrfmiddlewaretoken": CSRF_RE.search(page.text).group(1)}
            return http.post(url, data=data, headers={"Referer": server.base + url})

        def upload(name: str, fh) -> httpx.Response:
            return http.post(
                documents_url,
                data={"csrfmiddlewaretoken": token()},
                files={"main_document": (name, fh, "application/pdf")},
                headers={"Referer": server.base + documents_url},
            )

        pid = _worker_pid(server.proc.pid)
        _walk_to_documents(get, post, court, case)  # warm-up: every module the POST needs
        if upload("warm.pdf", io.BytesIO(warm)).status_code != 302:
            raise RuntimeError("warm-up upload was not accepted")
        _walk_to_documents(get, post, court, case)
        csrf = token()
        rss_before = _status_kb(pid, "VmRSS")
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak (VmHWM) to now
        with pdf_path.open("rb") as fh:
            response = http.post(
                documents_url,
                data={"csrfmiddlewaretoken": csrf},
                files={"main_document": ("big.pdf", fh, "application/pdf")},
                headers={"Referer": server.base + documents_url},
            )
        if response.status_code != 302:
            raise RuntimeError(f"big upload answered {response.status_code}")
        peak = _status_kb(pid, "VmHWM")
    return {"rss_before_mb": rss_before / 1024, "peak_mb": peak / 1024}


def fig_filing(*, smoke: bool, env: dict, server_class) -> tuple[dict, str]:
    from nextgen.dockets.sample_pdf import tiny_pdf

    reps = 2 if smoke else 15
    upload_mb = 20 if smoke else 100
    court, account, _, case = _setup("benchfile", limit_mb=upload_mb + 10)
    one, many = tiny_pdf("Motion", 1), tiny_pdf("Motion", 500)
    _request_times(court, account, case, one, {"1 page": one}, 2)  # warm-up
    times = _request_times(court, account, case, one, {"1 page": one, "500 pages": many}, reps)
    small, big = (statistics.median(times[k]) * 1000 for k in ("1 page", "500 pages"))
    ratio = big / small

    pdf_path = Path(env["NEXTGEN_VAR_DIR"]) / "bench-upload.pdf"
    big_pdf(pdf_path, upload_mb * MB)
    size_mb = pdf_path.stat().st_size / MB
    server = server_class(env, 1)
    try:
        memory = _upload_growth(server, court, account, case, pdf_path, one)
    finally:
        server.stop()
        pdf_path.unlink(missing_ok=True)
    growth = memory["peak_mb"] - memory["rss_before_mb"]
    row = {
        "figure": "10. Filing",
        "measured": f"500-page PDF {big:.1f} ms; {size_mb:.0f} MB upload +{growth:.1f} MB RSS",
        "baseline": f"1-page PDF {small:.1f} ms",
        "ratio": ratio,
        "goal": "<= 2x; <= 64 MB",
        "met": ratio <= 2 and growth <= 64,
        "detail": {
            "repetitions": reps,
            "one_page_median_ms": small,
            "five_hundred_pages_median_ms": big,
            "one_page_bytes": len(one),
            "five_hundred_pages_bytes": len(many),
            "upload_mb": size_mb,
            **memory,
            "growth_mb": growth,
        },
    }
    text = (
        "### Figure 10: filing\n\n"
        f"Documents step plus final submit of a Motion to Dismiss through the WSGI stack, "
        f"median of {reps} interleaved repetitions: 1-page PDF ({len(one):,} bytes) "
        f"{small:.1f} ms, 500-page PDF ({len(many):,} bytes) {big:.1f} ms ({ratio:.2f}x).\n\n"
        f"One gunicorn worker receiving a {size_mb:.0f} MB PDF at the documents step: RSS "
        f"{memory['rss_before_mb']:.1f} MB before, peak {memory['peak_mb']:.1f} MB during "
        f"(+{growth:.1f} MB). The upload streams to a temporary file in 64 KB chunks and the "
        "PDF rules read it from disk.\n"
    )
    return row, text
