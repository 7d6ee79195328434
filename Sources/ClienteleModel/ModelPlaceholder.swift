// The canonical customer record and its rules live here.
