"""Benchmark-only URLconf: NextGen's own URLs plus a bare "hello" view.

bench/run.py selects it with NEXTGEN_ROOT_URLCONF=bench.hello_urls, so the hello view
runs behind exactly the same settings and middleware as the court pages it is compared
with. It is never part of a deployment.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from nextgen.urls import urlpatterns as nextgen_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world\n", content_type="text/plain")


urlpatterns = [path("bench/hello", hello, name="bench_hello"), *nextgen_urlpatterns]
