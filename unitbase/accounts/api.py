from ninja import Router, Schema
from ninja.security import HttpBearer

from .services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


router = Router(tags=["account"])


class MeOut(Schema):
    id: int
    email: str
    full_name: str


@router.get("/me", response=MeOut, summary="The user the token belongs to")
def me(request):
    return request.user
