"""Events: summits, meetings, speeches, attacks, agreements... with dates, places and participants."""
