"""Document templates shipped with protokoll.

``niederschrift.docx`` is the default template of the Niederschrift writer (styles, fonts,
margins, a letterhead placeholder); ``make_default_template.py`` generates it. A
municipality's own template (``[minutes] template`` in the configuration) replaces it.
"""
