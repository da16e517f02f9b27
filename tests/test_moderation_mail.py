"""A moderation decision reaches its author by mail too (against a real SMTP server)."""

from portal.models import Role
from tests.conftest import login
from tests.factories import make_newcomer, make_pending_post, make_user

pytest_plugins = ["tests.mailserver"]  # mail_server, mail_server_down


def test_hiding_a_post_mails_the_author_with_the_reason(client, mail_server):
    author = make_newcomer(email="nieuw@example.org")
    post = make_pending_post(author, title="Mijn eerste idee")
    login(client, make_user(role=Role.MODERATOR))
    response = client.post(f"/moderatie/bericht/{post.id}/verbergen", data={"reason": "Dit is reclame."})
    assert response.status_code == 303
    mail_server.deliver()
    [message] = mail_server.messages
    assert message["To"] == "nieuw@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert "Mijn eerste idee" in text and "Dit is reclame." in text


def test_a_decision_stands_when_the_mail_server_is_down(client, mail_server_down):
    post = make_pending_post(make_newcomer(), title="Bankje")
    login(client, make_user(role=Role.MODERATOR))
    assert client.post(f"/moderatie/bericht/{post.id}/goedkeuren").status_code == 303
    assert "Bankje" in client.get(f"/berichten/{post.id}").get_data(as_text=True)
