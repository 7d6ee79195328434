// The pipeline lives here.
