"""Following at one's own pace (issue 27): a person follows a theme, a group or a post, and
chooses how mail about it reaches them (``direct``, ``dagelijks``, ``wekelijks``, ``nooit``).

``service.py`` is what the domains use: ``follow``, ``unfollow``, ``set_following``,
``is_following``, ``follower_ids`` and ``tell_followers`` (news for everyone who follows
something, by their pace);
``digest.py`` the daily and weekly digest (``flask send-digests``) and the purge of old items;
``visits.py`` a person's last visit (a digest is not sent to someone who saw it all).
No routes of its own: each domain has its follow button (``POST /themas/<slug>/volgen``,
``POST /berichten/<id>/volgen``, ``POST /groepen/<slug>/volgen``) and calls the service.
It imports no domain (only the models, ``notifications`` and the mail helpers).
"""
