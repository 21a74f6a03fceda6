"""The only code that goes around SQLAlchemy's execution or marshmallow's dump: queries on the
driver's cursor and answer writers, for the resources' read paths alone."""
