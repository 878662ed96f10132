"""A store whose modules look the same function up in every way Python allows."""
