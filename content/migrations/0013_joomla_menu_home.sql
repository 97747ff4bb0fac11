-- An address no menu item's path starts with is read under the old site's home item, as Joomla
-- did: found through this index, so no old-address lookup scans a table (issue 20).
CREATE INDEX joomla_menu_home ON joomla_menu (home, old_id);
