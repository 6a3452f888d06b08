"""Refusing oversized uploads early: the declared length is checked before the body is read,
and a handler stops storing a file the moment it passes the limit (a client can lie about
the length, or leave it out)."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_UPLOAD_BYTES:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def declared_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    # Multipart framing adds a little; anything this far past the limit can't fit.
    return length > settings.IMPORT_MAX_UPLOAD_BYTES + 64 * 1024
