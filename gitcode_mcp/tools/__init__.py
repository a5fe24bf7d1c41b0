"""One module per GitCode API area; each tool is a short typed async function listed in its module's TOOLS."""
