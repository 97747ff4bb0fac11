"""The Joomla importer: reads a mysqldump or phpMyAdmin export of a Joomla 1.5 or 3.x site and
imports its categories, articles, authors, polls, links and visit offset in one transaction.

No MySQL server is needed: `encoding` turns the file into text, `lexer` splits it into statements
(strings with MySQL's escapes, comments, DELIMITER), `dump` keeps the Joomla tables' rows and finds
the site, `menus` reads the menu items' paths and pages, `plugins` replaces module and plugin tags
in article text, `media` brings images into the library, and `importer` writes it all, recording
in `joomla_map` (with the old aliases) and `joomla_menu` which Joomla row became which row here,
so a second import changes nothing and old links can be redirected. `addresses` answers those old
links; it is imported on every start, so this package imports none of its modules itself.
"""

from content import audit
from content.i18n import N_

# What the audit log calls an import: here, so the audit page need not load the importer.
AUDIT_WORDS = audit.Words(actions={"import": N_("Imported")}, kinds={"joomla": N_("Joomla site")})
