from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users import forms as wagtail_forms
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import User

FIELDS = ["email", "name", "is_superuser", "groups"]


class UserCreationForm(wagtail_forms.UserCreationForm):
    first_name = None
    last_name = None
    name = forms.CharField(required=True, label=_("Name"))

    class Meta(wagtail_forms.UserCreationForm.Meta):
        model = User
        fields = FIELDS


class UserEditForm(wagtail_forms.UserEditForm):
    first_name = None
    last_name = None
    name = forms.CharField(required=True, label=_("Name"))

    class Meta(wagtail_forms.UserEditForm.Meta):
        model = User
        fields = [*FIELDS, "is_active"]


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
