from django.shortcuts import render


def _error(request, status: int, title: str, message: str):
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Bad request", "The request could not be understood. Check the address and try again.")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "Your role on this production does not allow this."
    return _error(request, 403, "Not allowed", message)


def page_not_found(request, exception=None):
    return _error(request, 404, "Not found", "There is nothing here, or it belongs to a production you are not part of.")


def server_error(request):
    return _error(request, 500, "Something went wrong", "The error has been logged. Nothing you entered was half-saved.")
