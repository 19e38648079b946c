"""Server-rendered pages: the public ones behind the QR codes and the county
staff's pages. Plain HTML built in Python with every piece of user text passed
through ``html.escape`` (the ``h`` helper), no external assets."""
