from django.http import Http404


def _pending(*args, **kwargs):
    raise Http404("Not built yet.")


people = crew = cast = _pending
