"""A JSON serialization format for backups that keeps times to the microsecond.

Django's JSON encoder cuts times to milliseconds, so a backup restored moved every timestamp
(and with it every ETag built from one). This is Django's JSON format with one change: times and
datetimes are written with all six digits. Reading is Django's own JSON deserializer, which
parses them. Registered as "exactjson" in settings.SERIALIZATION_MODULES.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat(timespec="microseconds")
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = django_json.Deserializer
