"""The HTTP surface: the aiohttp app, the route table, the request pipeline and the handlers."""
