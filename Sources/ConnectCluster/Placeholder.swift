// Placeholder: distributed mode building blocks are being written.
